-- TOP (n)
SELECT TOP (5) * FROM t
-- expect:
SELECT TOP 5 *
FROM t
