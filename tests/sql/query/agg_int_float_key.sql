-- 1 and 1.0 are one group
WITH a AS (SELECT 1 AS k UNION ALL SELECT 1.0 AS k UNION ALL SELECT 2 AS k) SELECT k, COUNT(*) AS n FROM a GROUP BY k
/* expect:
{"k":1,"n":2}
{"k":2,"n":1}
*/
