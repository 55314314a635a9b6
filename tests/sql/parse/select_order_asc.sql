-- ASC is printed
SELECT a FROM t ORDER BY a ASC, LEN(b) DESC
-- expect:
SELECT a
FROM t
ORDER BY a ASC, LEN(b) DESC
