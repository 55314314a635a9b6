-- TIMESTAMP BY an explicit CAST
SELECT orderId, System.Timestamp() AS t FROM 'orders.jsonl' TIMESTAMP BY CAST(ts AS datetime) WHERE amount = 40
/* expect:
{"orderId":103,"t":"2026-11-24T10:00:20.0000000Z"}
*/
