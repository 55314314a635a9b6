-- ORDER BY text is bytewise
SELECT s FROM 'strings.jsonl' WHERE id IN (1, 5, 6, 8) ORDER BY s
/* expect:
{"s":""}
{"s":"DEV-7"}
{"s":"dev-42"}
{"s":"hello world"}
*/
