-- TOP needs a number
SELECT TOP x a FROM t
-- expect error:
error: expected a number of rows after TOP, found 'x' at line 2, column 12
  2 | SELECT TOP x a FROM t
    |            ^
