-- t.* inside an expression
SELECT t.* + 1 FROM t
-- expect error:
error: '*' is only allowed as a whole select item (t.*) at line 2, column 8
  2 | SELECT t.* + 1 FROM t
    |        ^~~
