-- a window size must be whole
SELECT 1 FROM t GROUP BY TumblingWindow(second, 1.5)
-- expect error:
error: expected the window size as a positive whole number, found number 1.5 at line 2, column 49
  2 | SELECT 1 FROM t GROUP BY TumblingWindow(second, 1.5)
    |                                                 ^~~
