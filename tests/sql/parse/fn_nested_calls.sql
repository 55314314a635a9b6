-- calls in calls
SELECT UPPER(SUBSTRING(CONCAT(a, b), 1, LEN(c) - 1)) FROM t
-- expect:
SELECT UPPER(SUBSTRING(CONCAT(a, b), 1, (LEN(c) - 1)))
FROM t
