-- column names are case-insensitive; the output keeps the query's spelling
SELECT DEVICEID, Humidity FROM 'events.jsonl' WHERE deviceid = 'dev-5'
/* expect:
{"DEVICEID":"dev-5","Humidity":70}
{"DEVICEID":"dev-5","Humidity":71}
*/
