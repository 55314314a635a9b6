-- nulls sort first ascending, last descending
SELECT id, v FROM 'mixed.jsonl' WHERE id IN (1, 2, 4, 5, 10) ORDER BY v
/* expect:
{"id":4,"v":null}
{"id":5,"v":null}
{"id":10,"v":-4}
{"id":1,"v":1}
{"id":2,"v":2.5}
*/
