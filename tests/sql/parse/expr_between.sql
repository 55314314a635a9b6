-- [NOT] BETWEEN; its AND is not the logical AND
SELECT a FROM t WHERE a BETWEEN 1 AND 10 AND b NOT BETWEEN x - 1 AND x + 1
-- expect:
SELECT a
FROM t
WHERE ((a BETWEEN 1 AND 10) AND (b NOT BETWEEN (x - 1) AND (x + 1)))
