-- COUNT(*), COUNT(x) skips nulls, COUNT(DISTINCT x)
SELECT COUNT(*) AS rows, COUNT(temperature) AS temps, COUNT(DISTINCT deviceId) AS devices, COUNT(DISTINCT status) AS statuses FROM 'events.jsonl'
/* expect:
{"rows":24,"temps":22,"devices":5,"statuses":3}
*/
