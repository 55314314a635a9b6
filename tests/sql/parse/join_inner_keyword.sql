-- INNER JOIN
SELECT * FROM a INNER JOIN b ON a.k = b.k
-- expect:
SELECT *
FROM a
INNER JOIN b ON (a.k = b.k)
