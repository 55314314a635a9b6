-- tokens need no spaces between them
SELECT(a+b)*c,d/e FROM t WHERE(a>=1)AND(b<>2)
-- expect:
SELECT ((a + b) * c), (d / e)
FROM t
WHERE ((a >= 1) AND (b <> 2))
