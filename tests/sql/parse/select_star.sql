-- SELECT *
SELECT * FROM t
-- expect:
SELECT *
FROM t
