-- DATEADD of months and years keeps the day within the month
SELECT DATEADD(month, 1, '2026-01-31') AS a, DATEADD(month, 1, '2024-01-31') AS b, DATEADD(year, 1, '2024-02-29') AS c, DATEADD(quarter, -1, '2026-05-31') AS d, DATEADD(month, -13, '2026-03-15T10:00:00Z') AS e
/* expect:
{"a":"2026-02-28T00:00:00.0000000Z","b":"2024-02-29T00:00:00.0000000Z","c":"2025-02-28T00:00:00.0000000Z","d":"2026-02-28T00:00:00.0000000Z","e":"2025-02-15T10:00:00.0000000Z"}
*/
