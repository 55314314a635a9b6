-- WHERE
SELECT deviceId FROM t WHERE status = 'ok'
-- expect:
SELECT deviceId
FROM t
WHERE (status = 'ok')
