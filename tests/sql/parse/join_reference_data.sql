-- reference data join (no DATEDIFF)
SELECT s.deviceId, r.site FROM hub('telemetry') s TIMESTAMP BY ts JOIN devices r ON s.deviceId = r.deviceId
-- expect:
SELECT s.deviceId, r.site
FROM hub('telemetry') AS s TIMESTAMP BY ts
INNER JOIN devices AS r ON (s.deviceId = r.deviceId)
