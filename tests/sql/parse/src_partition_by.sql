-- PARTITION BY on an input
SELECT COUNT(*) FROM hub('t') PARTITION BY PartitionId GROUP BY PartitionId, TumblingWindow(minute, 1)
-- expect:
SELECT COUNT(*)
FROM hub('t') PARTITION BY PartitionId
GROUP BY PartitionId, TumblingWindow(minute, 1)
