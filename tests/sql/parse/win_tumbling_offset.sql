-- TumblingWindow with an offset
SELECT COUNT(*) FROM t GROUP BY TumblingWindow(minute, 5, 1)
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY TumblingWindow(minute, 5, 1)
