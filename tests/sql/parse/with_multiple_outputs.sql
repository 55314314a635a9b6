-- steps shared by several outputs
WITH s AS (SELECT deviceId, temp FROM hub('t') TIMESTAMP BY ts)
SELECT * INTO hot FROM s WHERE temp > 30
SELECT deviceId, AVG(temp) INTO stats FROM s GROUP BY deviceId, TumblingWindow(minute, 1)
-- expect:
WITH s AS (
    SELECT deviceId, temp
    FROM hub('t') TIMESTAMP BY ts
)
SELECT *
INTO hot
FROM s
WHERE (temp > 30);
SELECT deviceId, AVG(temp)
INTO stats
FROM s
GROUP BY deviceId, TumblingWindow(minute, 1)
