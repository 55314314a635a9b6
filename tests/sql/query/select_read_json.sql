-- read_json() with a glob
SELECT COUNT(*) AS n FROM read_json('orde*.jsonl')
/* expect:
{"n":6}
*/
