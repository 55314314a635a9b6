-- Collect in a window
SELECT Collect(orderId) AS ids, System.Timestamp() AS e FROM 'orders.jsonl' TIMESTAMP BY ts GROUP BY TumblingWindow(second, 20)
/* expect:
{"ids":[100],"e":"2026-11-24T10:00:00.0000000Z"}
{"ids":[101,102,103],"e":"2026-11-24T10:00:20.0000000Z"}
{"ids":[104],"e":"2026-11-24T10:00:40.0000000Z"}
{"ids":[105],"e":"2026-11-24T10:01:00.0000000Z"}
*/
