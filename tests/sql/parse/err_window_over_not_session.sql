-- only SessionWindow takes OVER
SELECT 1 FROM t GROUP BY TumblingWindow(second, 10) OVER (PARTITION BY a)
-- expect error:
error: only SessionWindow takes OVER (PARTITION BY ...) at line 2, column 53
  2 | SELECT 1 FROM t GROUP BY TumblingWindow(second, 10) OVER (PARTITION BY a)
    |                                                     ^~~~
