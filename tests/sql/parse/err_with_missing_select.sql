-- WITH steps and no SELECT
WITH s AS (SELECT a FROM t)
-- expect error:
error: expected SELECT after the WITH steps, found end of query at line 2, column 28
  2 | WITH s AS (SELECT a FROM t)
    |                            ^
