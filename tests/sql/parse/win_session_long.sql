-- Timeout/MaxDuration form
SELECT COUNT(*) FROM t GROUP BY Session(Timeout(second, 5), MaxDuration(minute, 1))
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY SessionWindow(Timeout(second, 5), MaxDuration(minute, 1))
