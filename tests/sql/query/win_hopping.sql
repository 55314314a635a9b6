-- HoppingWindow: overlapping windows; an event counts in each
SELECT COUNT(*) AS n, System.Timestamp() AS e FROM 'orders.jsonl' TIMESTAMP BY ts GROUP BY HoppingWindow(second, 20, 10)
/* expect:
{"n":1,"e":"2026-11-24T10:00:00.0000000Z"}
{"n":2,"e":"2026-11-24T10:00:10.0000000Z"}
{"n":3,"e":"2026-11-24T10:00:20.0000000Z"}
{"n":2,"e":"2026-11-24T10:00:30.0000000Z"}
{"n":1,"e":"2026-11-24T10:00:40.0000000Z"}
{"n":2,"e":"2026-11-24T10:00:50.0000000Z"}
{"n":1,"e":"2026-11-24T10:01:00.0000000Z"}
*/
