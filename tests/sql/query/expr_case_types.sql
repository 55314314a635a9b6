-- CASE mixing bigint and float branches is float
SELECT CASE WHEN i % 2 = 0 THEN i ELSE 0.5 END AS v FROM 'numbers.jsonl' WHERE i <= 3
/* expect:
{"v":0.5}
{"v":2}
{"v":0.5}
*/
