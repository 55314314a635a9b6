-- the joined row's event time is the later of the two
SELECT o.orderId, System.Timestamp() AS t FROM 'orders.jsonl' o TIMESTAMP BY ts JOIN 'shipments.jsonl' s TIMESTAMP BY ts ON o.orderId = s.orderId WHERE o.orderId = 102
/* expect:
{"orderId":102,"t":"2026-11-24T10:00:14.0000000Z"}
*/
