-- System.Timestamp() of an aggregate without a window is the latest event time
SELECT customer, System.Timestamp() AS last FROM 'orders.jsonl' TIMESTAMP BY ts GROUP BY customer
/* expect:
{"customer":"c1","last":"2026-11-24T10:00:12.0000000Z"}
{"customer":"c2","last":"2026-11-24T10:00:33.0000000Z"}
{"customer":"c3","last":"2026-11-24T10:00:20.0000000Z"}
{"customer":"c4","last":"2026-11-24T10:00:50.0000000Z"}
*/
