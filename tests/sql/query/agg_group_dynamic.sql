-- GROUP BY a column of varying types
SELECT v, COUNT(*) AS n FROM 'mixed.jsonl' WHERE id <= 4 OR id = 10 GROUP BY v
/* expect:
{"v":1,"n":1}
{"v":2.5,"n":1}
{"v":"three","n":1}
{"v":null,"n":1}
{"v":-4,"n":1}
*/
