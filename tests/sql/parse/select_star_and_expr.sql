-- * beside other items
SELECT *, a + 1 AS b FROM t
-- expect:
SELECT *, (a + 1) AS b
FROM t
