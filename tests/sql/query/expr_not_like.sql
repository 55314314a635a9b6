-- NOT LIKE; the empty string matches only %
SELECT id FROM 'strings.jsonl' WHERE s NOT LIKE '%e%' AND s LIKE '%'
/* expect:
{"id":3}
{"id":4}
{"id":6}
{"id":7}
{"id":8}
*/
