-- a window in the select list
SELECT TumblingWindow(second, 10) FROM t
-- expect error:
error: TumblingWindow is only allowed as a GROUP BY item at line 2, column 8
  2 | SELECT TumblingWindow(second, 10) FROM t
    |        ^~~~~~~~~~~~~~
