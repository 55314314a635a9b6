-- UNION ALL then UNION: the UNION removes all duplicates before it
SELECT 1 AS v UNION ALL SELECT 1 AS v UNION SELECT 2 AS v UNION ALL SELECT 2 AS v
/* expect:
{"v":1}
{"v":2}
{"v":2}
*/
