-- SessionWindow OVER (PARTITION BY key)
SELECT user, COUNT(*) AS n, System.Timestamp() AS e FROM 'clicks.jsonl' TIMESTAMP BY ts GROUP BY user, SessionWindow(second, 10, 60) OVER (PARTITION BY user)
/* expect:
{"user":"u1","n":3,"e":"2026-11-24T12:00:15.0000000Z"}
{"user":"u1","n":2,"e":"2026-11-24T12:00:32.0000000Z"}
{"user":"u1","n":1,"e":"2026-11-24T12:00:55.0000000Z"}
{"user":"u2","n":1,"e":"2026-11-24T12:00:11.0000000Z"}
{"user":"u2","n":12,"e":"2026-11-24T12:00:51.0000000Z"}
*/
