-- a query that does not start with SELECT
FROM t SELECT a
-- expect error:
error: expected SELECT or WITH, found FROM at line 2, column 1
  2 | FROM t SELECT a
    | ^~~~
