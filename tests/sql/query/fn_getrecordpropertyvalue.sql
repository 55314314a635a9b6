-- GetRecordPropertyValue by a name, also a computed one
SELECT deviceId, GetRecordPropertyValue(props, 'unit') AS unit, GetRecordPropertyValue(props, CONCAT('f', 'w')) AS fw FROM 'events.jsonl' WHERE ts <= '2026-11-24T20:00:02Z'
/* expect:
{"deviceId":"dev-1","unit":"C","fw":{"major":1,"minor":2}}
{"deviceId":"dev-2","unit":"C","fw":{"major":1,"minor":3}}
*/
