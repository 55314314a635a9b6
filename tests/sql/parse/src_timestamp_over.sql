-- TIMESTAMP BY ... OVER keys (substreams)
SELECT * FROM hub('t') TIMESTAMP BY CAST(ts AS datetime) OVER deviceId, region
-- expect:
SELECT *
FROM hub('t') TIMESTAMP BY CAST(ts AS DATETIME) OVER deviceId, region
