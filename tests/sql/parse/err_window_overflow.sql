-- a window size past int64 microseconds
SELECT 1 FROM t GROUP BY TumblingWindow(day, 9223372036854775807)
-- expect error:
error: the window size is out of range (at most 2^63 microseconds) at line 2, column 46
  2 | SELECT 1 FROM t GROUP BY TumblingWindow(day, 9223372036854775807)
    |                                              ^~~~~~~~~~~~~~~~~~~
