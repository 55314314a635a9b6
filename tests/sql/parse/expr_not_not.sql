-- NOT NOT
SELECT a FROM t WHERE NOT NOT a = 1
-- expect:
SELECT a
FROM t
WHERE (NOT (NOT (a = 1)))
