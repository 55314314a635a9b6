-- a.b reaches into a record value produced by a step
WITH s AS (SELECT deviceId, props FROM 'events.jsonl' WHERE site = 'west') SELECT deviceId, props.fw.major AS major, props.missing AS nothing FROM s
/* expect:
{"deviceId":"dev-5","major":3,"nothing":null}
{"deviceId":"dev-5","major":3,"nothing":null}
*/
