-- UNION followed by no SELECT
SELECT a FROM t UNION ALL FROM u
-- expect error:
error: expected SELECT after UNION ALL, found FROM at line 2, column 27
  2 | SELECT a FROM t UNION ALL FROM u
    |                           ^~~~
