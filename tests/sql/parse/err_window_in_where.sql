-- a window in WHERE
SELECT a FROM t WHERE HoppingWindow(second, 10, 5) = 1
-- expect error:
error: HoppingWindow is only allowed as a GROUP BY item at line 2, column 23
  2 | SELECT a FROM t WHERE HoppingWindow(second, 10, 5) = 1
    |                       ^~~~~~~~~~~~~
