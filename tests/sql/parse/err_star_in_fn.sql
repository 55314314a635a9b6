-- SUM(*)
SELECT SUM(*) FROM t
-- expect error:
error: '*' is not an argument of SUM: only COUNT(*) and Collect(*) at line 2, column 12
  2 | SELECT SUM(*) FROM t
    |            ^
