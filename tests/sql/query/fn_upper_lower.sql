-- UPPER and LOWER map ASCII letters
SELECT UPPER(s) AS u, LOWER(s) AS l FROM 'strings.jsonl' WHERE id IN (1, 5, 6)
/* expect:
{"u":"HELLO WORLD","l":"hello world"}
{"u":"DEV-42","l":"dev-42"}
{"u":"DEV-7","l":"dev-7"}
*/
