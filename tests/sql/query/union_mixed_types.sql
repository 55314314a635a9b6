-- UNION of columns of different types
SELECT 1 AS v UNION ALL SELECT 'one' AS v UNION ALL SELECT 1.5 AS v
/* expect:
{"v":1}
{"v":"one"}
{"v":1.5}
*/
