-- several WITH steps
WITH a AS (SELECT x FROM t), b AS (SELECT x FROM a WHERE x > 1), [c d] AS (SELECT * FROM b)
SELECT * FROM [c d]
-- expect:
WITH a AS (
    SELECT x
    FROM t
),
b AS (
    SELECT x
    FROM a
    WHERE (x > 1)
),
[c d] AS (
    SELECT *
    FROM b
)
SELECT *
FROM [c d]
