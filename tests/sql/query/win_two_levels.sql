-- windows of windows: the inner window end is the outer event time
WITH w AS (SELECT deviceId, COUNT(*) AS n FROM 'events.jsonl' TIMESTAMP BY ts GROUP BY deviceId, TumblingWindow(second, 10)) SELECT SUM(n) AS total, COUNT(*) AS groups, System.Timestamp() AS e FROM w GROUP BY TumblingWindow(second, 20)
/* expect:
{"total":12,"groups":8,"e":"2026-11-24T20:00:20.0000000Z"}
{"total":9,"groups":9,"e":"2026-11-24T20:00:40.0000000Z"}
{"total":3,"groups":3,"e":"2026-11-24T20:01:00.0000000Z"}
*/
