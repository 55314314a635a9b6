-- IN and NOT IN
SELECT orderId, customer IN ('c1', 'c3') AS a, orderId NOT IN (100, 101) AS b FROM 'orders.jsonl'
/* expect:
{"orderId":100,"a":true,"b":false}
{"orderId":101,"a":false,"b":false}
{"orderId":102,"a":true,"b":true}
{"orderId":103,"a":true,"b":true}
{"orderId":104,"a":false,"b":true}
{"orderId":105,"a":false,"b":true}
*/
