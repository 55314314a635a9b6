-- GROUP BY and HAVING
SELECT deviceId, COUNT(*) AS n FROM t GROUP BY deviceId HAVING COUNT(*) > 5
-- expect:
SELECT deviceId, COUNT(*) AS n
FROM t
GROUP BY deviceId
HAVING (COUNT(*) > 5)
