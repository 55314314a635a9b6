-- t.* in WHERE
SELECT a FROM t WHERE t.* = 1
-- expect error:
error: '*' is only allowed as a whole select item (t.*) at line 2, column 25
  2 | SELECT a FROM t WHERE t.* = 1
    |                         ^
