-- columns with AS and bare aliases
SELECT deviceId AS id, humidity h FROM 'events.jsonl' WHERE status = 'fail'
/* expect:
{"id":"dev-4","h":60}
{"id":"dev-4","h":61}
{"id":"dev-3","h":28}
{"id":"dev-4","h":62}
*/
