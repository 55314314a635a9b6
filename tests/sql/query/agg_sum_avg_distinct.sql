-- SUM and AVG over DISTINCT values
SELECT SUM(DISTINCT k) AS sk, AVG(DISTINCT k) AS ak, SUM(k) AS s FROM 'numbers.jsonl'
/* expect:
{"sk":6,"ak":1.5,"s":30}
*/
