-- TRIM strips blanks at both ends
SELECT '[' + TRIM(s) + ']' AS t FROM 'strings.jsonl' WHERE id = 2
/* expect:
{"t":"[padded]"}
*/
