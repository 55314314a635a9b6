-- INNER JOIN and a residual condition
SELECT o.orderId, s.carrier FROM 'orders.jsonl' o INNER JOIN 'shipments.jsonl' s ON o.orderId = s.orderId AND s.carrier = 'dhl'
/* expect:
{"orderId":100,"carrier":"dhl"}
{"orderId":102,"carrier":"dhl"}
*/
