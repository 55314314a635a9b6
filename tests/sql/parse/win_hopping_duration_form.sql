-- Duration/Hop form with mixed units stays long
SELECT COUNT(*) FROM t GROUP BY HoppingWindow(Duration(minute, 10), Hop(second, 30))
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY HoppingWindow(Duration(minute, 10), Hop(second, 30))
