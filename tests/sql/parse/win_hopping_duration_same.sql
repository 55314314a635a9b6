-- Duration/Hop form with one unit prints short
SELECT COUNT(*) FROM t GROUP BY HoppingWindow(Duration(second, 10), Hop(second, 5), Offset(second, 1))
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY HoppingWindow(second, 10, 5, 1)
