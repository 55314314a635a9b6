-- bracketed names
SELECT [deviceId] AS [the device], [humidity] FROM 'events.jsonl' WHERE [humidity] > 69
/* expect:
{"the device":"dev-5","humidity":70}
{"the device":"dev-5","humidity":71}
*/
