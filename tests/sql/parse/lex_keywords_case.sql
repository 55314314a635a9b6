-- keywords are case-insensitive; names keep their case
select DeviceId, temp FrOm Telemetry wHeRe temp > 20
-- expect:
SELECT DeviceId, temp
FROM Telemetry
WHERE (temp > 20)
