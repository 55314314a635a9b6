-- [NOT] IN lists
SELECT a FROM t WHERE a IN (1, 2, 3) AND b NOT IN ('x') AND c IN (d + 1, LEN(e))
-- expect:
SELECT a
FROM t
WHERE (((a IN (1, 2, 3)) AND (b NOT IN ('x'))) AND (c IN ((d + 1), LEN(e))))
