-- searched CASE
SELECT CASE WHEN t > 30 THEN 'hot' WHEN t < 0 THEN 'cold' ELSE 'ok' END AS band FROM x
-- expect:
SELECT CASE WHEN (t > 30) THEN 'hot' WHEN (t < 0) THEN 'cold' ELSE 'ok' END AS band
FROM x
