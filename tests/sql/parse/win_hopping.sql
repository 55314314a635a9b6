-- HoppingWindow
SELECT COUNT(*) FROM t GROUP BY HoppingWindow(second, 10, 5)
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY HoppingWindow(second, 10, 5)
