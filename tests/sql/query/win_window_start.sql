-- the window start is DATEADD over System.Timestamp()
SELECT DATEADD(second, -30, System.Timestamp()) AS startTime, System.Timestamp() AS endTime, SUM(amount) AS total FROM 'orders.jsonl' TIMESTAMP BY ts GROUP BY TumblingWindow(second, 30)
/* expect:
{"startTime":"2026-11-24T09:59:30.0000000Z","endTime":"2026-11-24T10:00:00.0000000Z","total":10}
{"startTime":"2026-11-24T10:00:00.0000000Z","endTime":"2026-11-24T10:00:30.0000000Z","total":72}
{"startTime":"2026-11-24T10:00:30.0000000Z","endTime":"2026-11-24T10:01:00.0000000Z","total":17}
*/
