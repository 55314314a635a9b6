-- SessionWindow
SELECT COUNT(*) FROM t GROUP BY SessionWindow(second, 5, 60)
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY SessionWindow(second, 5, 60)
