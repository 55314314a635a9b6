-- System.Timestamp() of a plain query is the row's event time
SELECT orderId, System.Timestamp() AS t FROM 'orders.jsonl' TIMESTAMP BY ts WHERE orderId < 102
/* expect:
{"orderId":100,"t":"2026-11-24T10:00:00.0000000Z"}
{"orderId":101,"t":"2026-11-24T10:00:05.0000000Z"}
*/
