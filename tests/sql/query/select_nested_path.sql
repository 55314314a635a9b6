-- a.b.c reaches into nested JSON objects
SELECT deviceId, props.unit AS unit, props.fw.major AS major FROM 'events.jsonl' WHERE site = 'west'
/* expect:
{"deviceId":"dev-5","unit":"C","major":3}
{"deviceId":"dev-5","unit":"C","major":3}
*/
