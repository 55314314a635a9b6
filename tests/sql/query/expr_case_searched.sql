-- searched CASE
SELECT orderId, CASE WHEN amount >= 25 THEN 'big' WHEN amount >= 10 THEN 'mid' ELSE 'small' END AS size FROM 'orders.jsonl'
/* expect:
{"orderId":100,"size":"mid"}
{"orderId":101,"size":"big"}
{"orderId":102,"size":"small"}
{"orderId":103,"size":"big"}
{"orderId":104,"size":"small"}
{"orderId":105,"size":"mid"}
*/
