-- LIMIT before ORDER BY
SELECT a FROM t LIMIT 5 ORDER BY a
-- expect error:
error: ORDER BY must come before LIMIT at line 2, column 25
  2 | SELECT a FROM t LIMIT 5 ORDER BY a
    |                         ^~~~~
