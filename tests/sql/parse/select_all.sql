-- ALL is the default and vanishes
SELECT ALL a FROM t
-- expect:
SELECT a
FROM t
