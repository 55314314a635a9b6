-- SUM of bigints is a bigint, of floats a float
SELECT SUM(humidity) AS h, SUM(temperature) AS t, SUM(humidity * 0.5) AS half FROM 'events.jsonl'
/* expect:
{"h":1169,"t":504.25,"half":584.5}
*/
