-- comparing a dynamic value with a number skips strings
SELECT id FROM 'mixed.jsonl' WHERE v > 0
/* expect:
{"id":1}
{"id":2}
{"id":6}
*/
