-- MIN and MAX of numbers, strings and datetimes
SELECT MIN(temperature) AS tmin, MAX(temperature) AS tmax, MIN(deviceId) AS dmin, MAX(status) AS smax, MIN(CAST(ts AS datetime)) AS first, MAX(CAST(ts AS datetime)) AS last FROM 'events.jsonl'
/* expect:
{"tmin":15.5,"tmax":31.5,"dmin":"dev-1","smax":"warn","first":"2026-11-24T20:00:01.0000000Z","last":"2026-11-24T20:00:47.0000000Z"}
*/
