-- LIKE with ESCAPE matches % and _ literally
SELECT id, s FROM 'strings.jsonl' WHERE s LIKE '%!%b!_%' ESCAPE '!'
/* expect:
{"id":4,"s":"a%b_c"}
*/
