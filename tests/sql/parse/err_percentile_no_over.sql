-- PERCENTILE_CONT without OVER
SELECT PERCENTILE_CONT(0.5) FROM t
-- expect error:
error: PERCENTILE_CONT needs OVER (ORDER BY ...) after it at line 2, column 8
  2 | SELECT PERCENTILE_CONT(0.5) FROM t
    |        ^~~~~~~~~~~~~~~~~~~~
