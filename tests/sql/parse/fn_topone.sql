-- TopOne() OVER (ORDER BY ...)
SELECT TopOne() OVER (ORDER BY ts DESC, id ASC) AS latest FROM t GROUP BY deviceId, TumblingWindow(second, 10)
-- expect:
SELECT TopOne() OVER (ORDER BY ts DESC, id ASC) AS latest
FROM t
GROUP BY deviceId, TumblingWindow(second, 10)
