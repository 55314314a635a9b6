-- GetArrayElement is 0-based; past the end is null
SELECT deviceId, GetArrayElement(tags, 0) AS first, GetArrayElement(tags, 2) AS third FROM 'events.jsonl' WHERE site = 'east'
/* expect:
{"deviceId":"dev-4","first":"c","third":"e"}
{"deviceId":"dev-4","first":"d","third":null}
{"deviceId":"dev-4","first":"c","third":null}
{"deviceId":"dev-4","first":"d","third":null}
*/
