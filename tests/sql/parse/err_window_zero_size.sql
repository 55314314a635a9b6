-- a window size of 0
SELECT 1 FROM t GROUP BY TumblingWindow(second, 0)
-- expect error:
error: expected the window size as a positive whole number, found number 0 at line 2, column 49
  2 | SELECT 1 FROM t GROUP BY TumblingWindow(second, 0)
    |                                                 ^
