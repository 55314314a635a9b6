-- a bracketed input name
SELECT * FROM [telemetry input] AS [t 1]
-- expect:
SELECT *
FROM [telemetry input] AS [t 1]
