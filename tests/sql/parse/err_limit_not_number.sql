-- LIMIT needs a number
SELECT a FROM t LIMIT -1
-- expect error:
error: expected a number of rows after LIMIT, found '-' at line 2, column 23
  2 | SELECT a FROM t LIMIT -1
    |                       ^
