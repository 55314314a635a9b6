-- TOP n
SELECT TOP 10 a FROM t
-- expect:
SELECT TOP 10 a
FROM t
