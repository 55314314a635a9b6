-- a field missing in a row is null
SELECT id, v FROM 'mixed.jsonl' WHERE id IN (4, 5)
/* expect:
{"id":4,"v":null}
{"id":5,"v":null}
*/
