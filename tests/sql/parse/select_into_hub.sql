-- INTO hub(name): the streaming sink
SELECT * INTO hub('alerts') FROM hub('telemetry') WHERE temperature > 30
-- expect:
SELECT *
INTO hub('alerts')
FROM hub('telemetry')
WHERE (temperature > 30)
