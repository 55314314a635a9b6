-- three inputs
SELECT * FROM a JOIN b ON a.k = b.k LEFT JOIN c ON b.k = c.k WHERE a.v > 1
-- expect:
SELECT *
FROM a
INNER JOIN b ON (a.k = b.k)
LEFT JOIN c ON (b.k = c.k)
WHERE (a.v > 1)
