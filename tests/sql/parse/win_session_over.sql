-- SessionWindow OVER (PARTITION BY key)
SELECT deviceId, COUNT(*) FROM t GROUP BY deviceId, SessionWindow(minute, 5, 60) OVER (PARTITION BY deviceId)
-- expect:
SELECT deviceId, COUNT(*)
FROM t
GROUP BY deviceId, SessionWindow(minute, 5, 60) OVER (PARTITION BY deviceId)
