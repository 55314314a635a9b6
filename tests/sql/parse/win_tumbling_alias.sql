-- Tumbling is TumblingWindow
SELECT COUNT(*) FROM t GROUP BY Tumbling(second, 10)
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY TumblingWindow(second, 10)
