-- one WITH step
WITH hot AS (SELECT * FROM t WHERE temp > 30)
SELECT COUNT(*) FROM hot
-- expect:
WITH hot AS (
    SELECT *
    FROM t
    WHERE (temp > 30)
)
SELECT COUNT(*)
FROM hot
