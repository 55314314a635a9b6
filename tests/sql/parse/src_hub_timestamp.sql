-- hub() with TIMESTAMP BY
SELECT * FROM hub('telemetry') TIMESTAMP BY ts
-- expect:
SELECT *
FROM hub('telemetry') TIMESTAMP BY ts
