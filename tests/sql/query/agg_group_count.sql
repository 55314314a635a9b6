-- GROUP BY with COUNT(*) and AVG
SELECT deviceId, COUNT(*) AS n, AVG(temperature) AS avgTemp FROM 'events.jsonl' GROUP BY deviceId
/* expect:
{"deviceId":"dev-1","n":7,"avgTemp":22.571428571428573}
{"deviceId":"dev-2","n":6,"avgTemp":19.3}
{"deviceId":"dev-3","n":5,"avgTemp":25.55}
{"deviceId":"dev-4","n":4,"avgTemp":30.166666666666668}
{"deviceId":"dev-5","n":2,"avgTemp":15.75}
*/
