-- a join of two streams bounded by DATEDIFF
SELECT o.orderId, s.ts AS shipped FROM 'orders.jsonl' o TIMESTAMP BY ts JOIN 'shipments.jsonl' s TIMESTAMP BY ts ON o.orderId = s.orderId AND DATEDIFF(second, o, s) BETWEEN 0 AND 10
/* expect:
{"orderId":100,"shipped":"2026-11-24T10:00:03Z"}
{"orderId":102,"shipped":"2026-11-24T10:00:14Z"}
{"orderId":103,"shipped":"2026-11-24T10:00:21Z"}
{"orderId":105,"shipped":"2026-11-24T10:00:51Z"}
*/
