-- SELECT t.* over one side of a join
SELECT s.* FROM 'orders.jsonl' o JOIN 'shipments.jsonl' s ON o.orderId = s.orderId WHERE o.customer = 'c3'
/* expect:
{"orderId":103,"carrier":"ups","ts":"2026-11-24T10:00:21Z"}
{"orderId":103,"carrier":"ups","ts":"2026-11-24T10:00:59Z"}
*/
