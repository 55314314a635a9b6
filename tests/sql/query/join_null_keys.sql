-- null keys never match
SELECT a.id AS a, b.id AS b FROM 'mixed.jsonl' a JOIN 'mixed.jsonl' b ON a.v = b.v WHERE a.id <= 5
/* expect:
{"a":1,"b":1}
{"a":2,"b":2}
{"a":3,"b":3}
*/
