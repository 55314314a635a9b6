-- INTO with PARTITION BY on the input (ASA repartitioning)
SELECT * INTO hub('out') FROM hub('in') PARTITION BY deviceId
-- expect:
SELECT *
INTO hub('out')
FROM hub('in') PARTITION BY deviceId
