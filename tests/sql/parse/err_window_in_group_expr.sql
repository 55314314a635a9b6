-- a window inside a GROUP BY expression
SELECT 1 FROM t GROUP BY a + SlidingWindow(second, 1)
-- expect error:
error: SlidingWindow is only allowed as a GROUP BY item at line 2, column 30
  2 | SELECT 1 FROM t GROUP BY a + SlidingWindow(second, 1)
    |                              ^~~~~~~~~~~~~
