-- GROUP BY expressions
SELECT UPPER(a), b % 10 FROM t GROUP BY UPPER(a), b % 10
-- expect:
SELECT UPPER(a), (b % 10)
FROM t
GROUP BY UPPER(a), (b % 10)
