-- ORDER BY and LIMIT in a step
WITH top5 AS (SELECT a FROM t ORDER BY a DESC LIMIT 5) SELECT * FROM top5
-- expect:
WITH top5 AS (
    SELECT a
    FROM t
    ORDER BY a DESC
    LIMIT 5
)
SELECT *
FROM top5
