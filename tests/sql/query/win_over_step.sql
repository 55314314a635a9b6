-- a window over a step's output; the step keeps each row's time
WITH hot AS (SELECT deviceId, temperature FROM 'events.jsonl' TIMESTAMP BY ts WHERE temperature > 22) SELECT COUNT(*) AS n, System.Timestamp() AS e FROM hot GROUP BY TumblingWindow(second, 30)
/* expect:
{"n":8,"e":"2026-11-24T20:00:30.0000000Z"}
{"n":4,"e":"2026-11-24T20:01:00.0000000Z"}
*/
