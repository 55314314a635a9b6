-- aggregates over expressions
SELECT SUM(a * b), MAX(CASE WHEN c THEN 1 ELSE 0 END) FROM t
-- expect:
SELECT SUM((a * b)), MAX(CASE WHEN c THEN 1 ELSE 0 END)
FROM t
