-- aggregates
SELECT COUNT(*), COUNT(x), COUNT(DISTINCT x), SUM(x), AVG(x), MIN(x), MAX(x), STDEV(x), STDEVP(x), VAR(x), VARP(x) FROM t GROUP BY k
-- expect:
SELECT COUNT(*), COUNT(x), COUNT(DISTINCT x), SUM(x), AVG(x), MIN(x), MAX(x), STDEV(x), STDEVP(x), VAR(x), VARP(x)
FROM t
GROUP BY k
