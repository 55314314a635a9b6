-- REGEXMATCH (POSIX extended) gives 1 or 0
SELECT id, REGEXMATCH(s, '^[a-z]+-[0-9]+$') AS m FROM 'strings.jsonl' WHERE id IN (1, 5, 6)
/* expect:
{"id":1,"m":0}
{"id":5,"m":1}
{"id":6,"m":0}
*/
