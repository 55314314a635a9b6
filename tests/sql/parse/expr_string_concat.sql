-- + on strings is an ordinary +
SELECT 'device-' + deviceId FROM t
-- expect:
SELECT ('device-' + deviceId)
FROM t
