-- TIMESTAMP BY on a step's column
WITH s AS (SELECT orderId, ts FROM 'orders.jsonl') SELECT COUNT(*) AS n, System.Timestamp() AS e FROM s TIMESTAMP BY ts GROUP BY TumblingWindow(minute, 1)
/* expect:
{"n":1,"e":"2026-11-24T10:00:00.0000000Z"}
{"n":5,"e":"2026-11-24T10:01:00.0000000Z"}
*/
