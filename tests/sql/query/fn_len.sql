-- LEN counts characters
SELECT id, LEN(s) AS n FROM 'strings.jsonl' WHERE id <= 4
/* expect:
{"id":1,"n":11}
{"id":2,"n":10}
{"id":3,"n":10}
{"id":4,"n":5}
*/
