-- a negative DATEADD count
SELECT DATEADD(day, -1, ts) FROM t
-- expect:
SELECT DATEADD(day, -1, ts)
FROM t
