-- tumbling window counts per device; System.Timestamp() is the window end
SELECT deviceId, COUNT(*) AS n, System.Timestamp() AS windowEnd
FROM 'events.jsonl' TIMESTAMP BY ts
GROUP BY deviceId, TumblingWindow(second, 10)
/* expect:
{"deviceId":"dev-1","n":2,"windowEnd":"2026-11-24T20:00:10.0000000Z"}
{"deviceId":"dev-2","n":2,"windowEnd":"2026-11-24T20:00:10.0000000Z"}
{"deviceId":"dev-3","n":2,"windowEnd":"2026-11-24T20:00:10.0000000Z"}
{"deviceId":"dev-4","n":1,"windowEnd":"2026-11-24T20:00:10.0000000Z"}
{"deviceId":"dev-1","n":2,"windowEnd":"2026-11-24T20:00:20.0000000Z"}
{"deviceId":"dev-2","n":1,"windowEnd":"2026-11-24T20:00:20.0000000Z"}
{"deviceId":"dev-4","n":1,"windowEnd":"2026-11-24T20:00:20.0000000Z"}
{"deviceId":"dev-3","n":1,"windowEnd":"2026-11-24T20:00:20.0000000Z"}
{"deviceId":"dev-2","n":1,"windowEnd":"2026-11-24T20:00:30.0000000Z"}
{"deviceId":"dev-5","n":1,"windowEnd":"2026-11-24T20:00:30.0000000Z"}
{"deviceId":"dev-3","n":1,"windowEnd":"2026-11-24T20:00:30.0000000Z"}
{"deviceId":"dev-1","n":1,"windowEnd":"2026-11-24T20:00:30.0000000Z"}
{"deviceId":"dev-4","n":1,"windowEnd":"2026-11-24T20:00:30.0000000Z"}
{"deviceId":"dev-2","n":1,"windowEnd":"2026-11-24T20:00:40.0000000Z"}
{"deviceId":"dev-5","n":1,"windowEnd":"2026-11-24T20:00:40.0000000Z"}
{"deviceId":"dev-1","n":1,"windowEnd":"2026-11-24T20:00:40.0000000Z"}
{"deviceId":"dev-3","n":1,"windowEnd":"2026-11-24T20:00:40.0000000Z"}
{"deviceId":"dev-2","n":1,"windowEnd":"2026-11-24T20:00:50.0000000Z"}
{"deviceId":"dev-4","n":1,"windowEnd":"2026-11-24T20:00:50.0000000Z"}
{"deviceId":"dev-1","n":1,"windowEnd":"2026-11-24T20:00:50.0000000Z"}
*/
