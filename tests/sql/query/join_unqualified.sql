-- unqualified columns resolve to the input that has them
SELECT customer, carrier FROM 'orders.jsonl' o JOIN 'shipments.jsonl' s ON o.orderId = s.orderId WHERE amount < 10
/* expect:
{"customer":"c1","carrier":"dhl"}
*/
