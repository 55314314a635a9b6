-- month is no fixed duration
SELECT 1 FROM t GROUP BY TumblingWindow(month, 1)
-- expect error:
error: a window unit must be day, hour, minute, second, millisecond or microsecond, found 'month' at line 2, column 41
  2 | SELECT 1 FROM t GROUP BY TumblingWindow(month, 1)
    |                                         ^~~~~
