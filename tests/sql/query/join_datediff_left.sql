-- LEFT JOIN with DATEDIFF: late shipments find no partner
SELECT o.orderId, s.carrier FROM 'orders.jsonl' o TIMESTAMP BY ts LEFT JOIN 'shipments.jsonl' s TIMESTAMP BY ts ON o.orderId = s.orderId AND DATEDIFF(second, o, s) BETWEEN 0 AND 10
/* expect:
{"orderId":100,"carrier":"dhl"}
{"orderId":102,"carrier":"dhl"}
{"orderId":101,"carrier":null}
{"orderId":103,"carrier":"ups"}
{"orderId":105,"carrier":"ups"}
{"orderId":104,"carrier":null}
*/
