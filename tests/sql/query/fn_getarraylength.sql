-- GetArrayLength
SELECT GetArrayLength(tags) AS n, COUNT(*) AS rows FROM 'events.jsonl' GROUP BY GetArrayLength(tags)
/* expect:
{"n":2,"rows":7}
{"n":1,"rows":12}
{"n":0,"rows":4}
{"n":3,"rows":1}
*/
