-- CAST to nvarchar(max)
SELECT CAST(42 AS nvarchar(max)) AS a, CAST(0.5 AS nvarchar(max)) AS b, CAST(CAST('2026-11-24T20:00:00Z' AS datetime) AS nvarchar(max)) AS c, CAST(TRUE AS nvarchar(max)) AS d
/* expect:
{"a":"42","b":"0.5","c":"2026-11-24T20:00:00.0000000Z","d":"true"}
*/
