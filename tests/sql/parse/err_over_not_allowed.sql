-- OVER after SUM
SELECT SUM(x) OVER (ORDER BY y) FROM t
-- expect error:
error: OVER is only allowed after PERCENTILE_CONT, PERCENTILE_DISC and TopOne, not after SUM at line 2, column 15
  2 | SELECT SUM(x) OVER (ORDER BY y) FROM t
    |               ^~~~
