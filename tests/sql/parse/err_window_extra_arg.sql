-- too many window arguments
SELECT 1 FROM t GROUP BY SlidingWindow(second, 10, 5)
-- expect error:
error: expected ')' to close SlidingWindow(unit, size), found ',' at line 2, column 50
  2 | SELECT 1 FROM t GROUP BY SlidingWindow(second, 10, 5)
    |                                                  ^
