-- ORDER BY several keys, mixed directions
SELECT site, deviceId, humidity FROM 'events.jsonl' WHERE humidity > 55 ORDER BY site ASC, humidity DESC
/* expect:
{"site":"east","deviceId":"dev-4","humidity":63}
{"site":"east","deviceId":"dev-4","humidity":62}
{"site":"east","deviceId":"dev-4","humidity":61}
{"site":"east","deviceId":"dev-4","humidity":60}
{"site":"south","deviceId":"dev-2","humidity":58}
{"site":"south","deviceId":"dev-2","humidity":57}
{"site":"south","deviceId":"dev-2","humidity":56}
{"site":"west","deviceId":"dev-5","humidity":71}
{"site":"west","deviceId":"dev-5","humidity":70}
*/
