-- temporal join with DATEDIFF bounds
SELECT a.id, b.v FROM a TIMESTAMP BY a.ts JOIN b TIMESTAMP BY b.ts
ON a.id = b.id AND DATEDIFF(second, a, b) BETWEEN 0 AND 10
-- expect:
SELECT a.id, b.v
FROM a TIMESTAMP BY a.ts
INNER JOIN b TIMESTAMP BY b.ts ON ((a.id = b.id) AND (DATEDIFF(second, a, b) BETWEEN 0 AND 10))
