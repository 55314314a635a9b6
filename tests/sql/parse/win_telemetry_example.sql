-- the query of the design brief
SELECT deviceId, COUNT(*) AS events, AVG(temperature) AS avgTemp, System.Timestamp() AS windowEnd
FROM hub('telemetry') TIMESTAMP BY ts
WHERE status = 'ok'
GROUP BY deviceId, TumblingWindow(second, 10)
-- expect:
SELECT deviceId, COUNT(*) AS events, AVG(temperature) AS avgTemp, System.Timestamp() AS windowEnd
FROM hub('telemetry') TIMESTAMP BY ts
WHERE (status = 'ok')
GROUP BY deviceId, TumblingWindow(second, 10)
