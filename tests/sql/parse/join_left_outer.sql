-- LEFT OUTER JOIN
SELECT * FROM a LEFT OUTER JOIN b ON a.k = b.k AND DATEDIFF(minute, a, b) BETWEEN 0 AND 5
-- expect:
SELECT *
FROM a
LEFT JOIN b ON ((a.k = b.k) AND (DATEDIFF(minute, a, b) BETWEEN 0 AND 5))
