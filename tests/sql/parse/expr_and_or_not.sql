-- NOT > AND > OR
SELECT a FROM t WHERE a = 1 OR b = 2 AND NOT c = 3
-- expect:
SELECT a
FROM t
WHERE ((a = 1) OR ((b = 2) AND (NOT (c = 3))))
