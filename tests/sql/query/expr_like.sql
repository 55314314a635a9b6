-- LIKE with % and _
SELECT id, s FROM 'strings.jsonl' WHERE s LIKE 'h%' OR s LIKE '_EV-_'
/* expect:
{"id":1,"s":"hello world"}
{"id":6,"s":"DEV-7"}
*/
