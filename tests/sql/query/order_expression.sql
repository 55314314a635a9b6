-- ORDER BY an expression
SELECT i FROM 'numbers.jsonl' WHERE i <= 6 ORDER BY i % 3, i DESC
/* expect:
{"i":6}
{"i":3}
{"i":4}
{"i":1}
{"i":5}
{"i":2}
*/
