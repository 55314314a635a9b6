-- a JSON boolean is a bit
SELECT id FROM 'mixed.jsonl' WHERE v = TRUE
/* expect:
{"id":1}
{"id":6}
*/
