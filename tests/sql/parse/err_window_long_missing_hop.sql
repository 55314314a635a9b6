-- the Duration form of HoppingWindow needs Hop
SELECT 1 FROM t GROUP BY HoppingWindow(Duration(second, 10))
-- expect error:
error: expected ',' and Hop(unit, n), found ')' at line 2, column 60
  2 | SELECT 1 FROM t GROUP BY HoppingWindow(Duration(second, 10))
    |                                                            ^
