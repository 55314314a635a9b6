-- SlidingWindow outputs where an event enters or leaves
SELECT user, COUNT(*) AS n, System.Timestamp() AS e FROM 'clicks.jsonl' TIMESTAMP BY ts WHERE user = 'u1' GROUP BY user, SlidingWindow(second, 10)
/* expect:
{"user":"u1","n":1,"e":"2026-11-24T12:00:00.0000000Z"}
{"user":"u1","n":2,"e":"2026-11-24T12:00:03.0000000Z"}
{"user":"u1","n":3,"e":"2026-11-24T12:00:05.0000000Z"}
{"user":"u1","n":2,"e":"2026-11-24T12:00:10.0000000Z"}
{"user":"u1","n":1,"e":"2026-11-24T12:00:13.0000000Z"}
{"user":"u1","n":1,"e":"2026-11-24T12:00:20.0000000Z"}
{"user":"u1","n":2,"e":"2026-11-24T12:00:22.0000000Z"}
{"user":"u1","n":1,"e":"2026-11-24T12:00:30.0000000Z"}
{"user":"u1","n":1,"e":"2026-11-24T12:00:45.0000000Z"}
*/
