-- WHERE with a comparison on a float column
SELECT deviceId, temperature FROM 'events.jsonl' WHERE temperature > 25
/* expect:
{"deviceId":"dev-3","temperature":25.25}
{"deviceId":"dev-3","temperature":26.0}
{"deviceId":"dev-4","temperature":30.0}
{"deviceId":"dev-3","temperature":27.5}
{"deviceId":"dev-4","temperature":31.5}
{"deviceId":"dev-4","temperature":29.0}
*/
