-- a mixed expression
SELECT ROUND(AVG(temperature) * 1.8 + 32, 1) AS f FROM t WHERE humidity BETWEEN 10 AND 90 AND (status = 'ok' OR status IS NULL)
-- expect:
SELECT ROUND(((AVG(temperature) * 1.8) + 32), 1) AS f
FROM t
WHERE ((humidity BETWEEN 10 AND 90) AND ((status = 'ok') OR (status IS NULL)))
