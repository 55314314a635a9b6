-- the classic: more than 3 events in the last 5 seconds
SELECT user, COUNT(*) AS n, System.Timestamp() AS e FROM 'clicks.jsonl' TIMESTAMP BY ts GROUP BY user, SlidingWindow(second, 5) HAVING COUNT(*) > 4
/* expect:
{"user":"u2","n":5,"e":"2026-11-24T12:00:34.0000000Z"}
{"user":"u2","n":5,"e":"2026-11-24T12:00:35.0000000Z"}
{"user":"u2","n":5,"e":"2026-11-24T12:00:36.0000000Z"}
{"user":"u2","n":5,"e":"2026-11-24T12:00:37.0000000Z"}
{"user":"u2","n":5,"e":"2026-11-24T12:00:38.0000000Z"}
{"user":"u2","n":5,"e":"2026-11-24T12:00:39.0000000Z"}
{"user":"u2","n":5,"e":"2026-11-24T12:00:40.0000000Z"}
{"user":"u2","n":5,"e":"2026-11-24T12:00:41.0000000Z"}
*/
