-- three inputs
SELECT o.orderId, s.carrier, d.model FROM 'orders.jsonl' o JOIN 'shipments.jsonl' s ON o.orderId = s.orderId JOIN 'devices.csv' d ON d.capacity = o.amount * 10
/* expect:
{"orderId":100,"carrier":"dhl","model":"TX-100"}
{"orderId":100,"carrier":"dhl","model":"TX-100"}
*/
