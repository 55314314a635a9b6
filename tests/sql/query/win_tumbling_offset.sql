-- TumblingWindow with an offset shifts the boundaries
SELECT COUNT(*) AS n, System.Timestamp() AS e FROM 'orders.jsonl' TIMESTAMP BY ts GROUP BY TumblingWindow(second, 20, 5)
/* expect:
{"n":2,"e":"2026-11-24T10:00:05.0000000Z"}
{"n":2,"e":"2026-11-24T10:00:25.0000000Z"}
{"n":1,"e":"2026-11-24T10:00:45.0000000Z"}
{"n":1,"e":"2026-11-24T10:01:05.0000000Z"}
*/
