-- two windows in one GROUP BY
SELECT 1 FROM t GROUP BY TumblingWindow(second, 10), HoppingWindow(second, 10, 5)
-- expect error:
error: GROUP BY takes one window; this is a second one at line 2, column 54
  2 | SELECT 1 FROM t GROUP BY TumblingWindow(second, 10), HoppingWindow(second, 10, 5)
    |                                                      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~
