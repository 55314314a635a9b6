-- UNION inside a step
WITH u AS (SELECT a FROM x UNION ALL SELECT a FROM y) SELECT COUNT(*) FROM u
-- expect:
WITH u AS (
    SELECT a
    FROM x
    UNION ALL
    SELECT a
    FROM y
)
SELECT COUNT(*)
FROM u
