-- System.Timestamp() and its property form
SELECT System.Timestamp() AS t1, System.Timestamp AS t2, system.timestamp() AS t3 FROM t
-- expect:
SELECT System.Timestamp() AS t1, System.Timestamp() AS t2, System.Timestamp() AS t3
FROM t
