-- GROUP BY System.Timestamp(): events with equal times
WITH s AS (SELECT 'a' AS k, '2026-01-01T00:00:01Z' AS t UNION ALL SELECT 'b' AS k, '2026-01-01T00:00:01Z' AS t UNION ALL SELECT 'c' AS k, '2026-01-01T00:00:02Z' AS t) SELECT COUNT(*) AS n, System.Timestamp() AS at FROM s TIMESTAMP BY t GROUP BY System.Timestamp()
/* expect:
{"n":2,"at":"2026-01-01T00:00:01.0000000Z"}
{"n":1,"at":"2026-01-01T00:00:02.0000000Z"}
*/
