-- TumblingWindow
SELECT deviceId, COUNT(*) FROM t TIMESTAMP BY ts GROUP BY deviceId, TumblingWindow(second, 10)
-- expect:
SELECT deviceId, COUNT(*)
FROM t TIMESTAMP BY ts
GROUP BY deviceId, TumblingWindow(second, 10)
