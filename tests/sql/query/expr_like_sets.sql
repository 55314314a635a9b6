-- LIKE with [set], [^set] and ranges
SELECT id FROM 'strings.jsonl' WHERE s LIKE '[dD]ev-[0-9]%' OR s LIKE '[^a-z ]%'
/* expect:
{"id":3}
{"id":5}
{"id":6}
*/
