-- WHERE without a condition
SELECT a FROM t WHERE

-- trailing comment
-- expect error:
error: expected an expression, found end of query at line 2, column 22
  2 | SELECT a FROM t WHERE
    |                      ^
