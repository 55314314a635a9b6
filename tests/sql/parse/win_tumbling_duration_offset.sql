-- Duration/Offset form
SELECT COUNT(*) FROM t GROUP BY TumblingWindow(Duration(hour, 1), Offset(minute, 15))
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY TumblingWindow(Duration(hour, 1), Offset(minute, 15))
