-- a number glued to a word
SELECT 12abc FROM t
-- expect error:
error: malformed number '12abc' at line 2, column 8
  2 | SELECT 12abc FROM t
    |        ^~~~~
