-- a reserved word as a column
SELECT from FROM t
-- expect error:
error: expected an expression, found FROM at line 2, column 8
  2 | SELECT from FROM t
    |        ^~~~
