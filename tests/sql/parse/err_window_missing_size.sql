-- a window without its size
SELECT 1 FROM t GROUP BY TumblingWindow(second)
-- expect error:
error: expected ',' and the window size, found ')' at line 2, column 47
  2 | SELECT 1 FROM t GROUP BY TumblingWindow(second)
    |                                               ^
