-- SessionWindow: a session is cut at its maximum duration
SELECT user, COUNT(*) AS n, MIN(ts) AS first, System.Timestamp() AS e FROM 'clicks.jsonl' TIMESTAMP BY ts WHERE user = 'u2' GROUP BY user, SessionWindow(second, 5, 4)
/* expect:
{"user":"u2","n":1,"first":"2026-11-24T12:00:01Z","e":"2026-11-24T12:00:05.0000000Z"}
{"user":"u2","n":5,"first":"2026-11-24T12:00:30Z","e":"2026-11-24T12:00:34.0000000Z"}
{"user":"u2","n":5,"first":"2026-11-24T12:00:35Z","e":"2026-11-24T12:00:39.0000000Z"}
{"user":"u2","n":2,"first":"2026-11-24T12:00:40Z","e":"2026-11-24T12:00:44.0000000Z"}
*/
