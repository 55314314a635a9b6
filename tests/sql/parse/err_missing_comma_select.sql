-- missing comma in the select list
SELECT a b c FROM t
-- expect error:
error: missing ',' before 'c' at line 2, column 12
  2 | SELECT a b c FROM t
    |            ^
