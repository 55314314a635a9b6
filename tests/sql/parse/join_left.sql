-- LEFT JOIN
SELECT a.x, b.y FROM a LEFT JOIN b ON a.k = b.k
-- expect:
SELECT a.x, b.y
FROM a
LEFT JOIN b ON (a.k = b.k)
