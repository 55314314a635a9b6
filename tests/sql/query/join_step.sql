-- a join with a WITH step
WITH big AS (SELECT orderId, amount FROM 'orders.jsonl' WHERE amount >= 12) SELECT b.orderId, s.carrier FROM big b JOIN 'shipments.jsonl' s ON b.orderId = s.orderId
/* expect:
{"orderId":101,"carrier":"ups"}
{"orderId":103,"carrier":"ups"}
{"orderId":103,"carrier":"ups"}
{"orderId":105,"carrier":"ups"}
*/
