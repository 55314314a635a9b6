-- SELECT without FROM
SELECT 1 + 2 AS three
-- expect:
SELECT (1 + 2) AS three
