-- Timeout in a TumblingWindow
SELECT 1 FROM t GROUP BY TumblingWindow(Duration(second, 10), Timeout(second, 1))
-- expect error:
error: expected Offset(unit, n) in TumblingWindow(Duration(...)[, Offset(...)]), found 'Timeout' at line 2, column 63
  2 | SELECT 1 FROM t GROUP BY TumblingWindow(Duration(second, 10), Timeout(second, 1))
    |                                                               ^~~~~~~
