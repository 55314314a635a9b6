-- SessionWindow: a gap longer than the timeout starts a new session
SELECT user, COUNT(*) AS n, MIN(ts) AS first, System.Timestamp() AS e FROM 'clicks.jsonl' TIMESTAMP BY ts GROUP BY user, SessionWindow(second, 10, 60)
/* expect:
{"user":"u1","n":3,"first":"2026-11-24T12:00:00Z","e":"2026-11-24T12:00:15.0000000Z"}
{"user":"u1","n":2,"first":"2026-11-24T12:00:20Z","e":"2026-11-24T12:00:32.0000000Z"}
{"user":"u1","n":1,"first":"2026-11-24T12:00:45Z","e":"2026-11-24T12:00:55.0000000Z"}
{"user":"u2","n":1,"first":"2026-11-24T12:00:01Z","e":"2026-11-24T12:00:11.0000000Z"}
{"user":"u2","n":12,"first":"2026-11-24T12:00:30Z","e":"2026-11-24T12:00:51.0000000Z"}
*/
