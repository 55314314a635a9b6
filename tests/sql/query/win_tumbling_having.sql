-- a windowed count with HAVING
SELECT deviceId, COUNT(*) AS n, System.Timestamp() AS e FROM 'events.jsonl' TIMESTAMP BY ts GROUP BY deviceId, TumblingWindow(second, 20) HAVING COUNT(*) > 2
/* expect:
{"deviceId":"dev-1","n":4,"e":"2026-11-24T20:00:20.0000000Z"}
{"deviceId":"dev-2","n":3,"e":"2026-11-24T20:00:20.0000000Z"}
{"deviceId":"dev-3","n":3,"e":"2026-11-24T20:00:20.0000000Z"}
*/
