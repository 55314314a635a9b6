-- equal keys keep their input order
SELECT orderId, customer FROM 'orders.jsonl' ORDER BY customer
/* expect:
{"orderId":100,"customer":"c1"}
{"orderId":102,"customer":"c1"}
{"orderId":101,"customer":"c2"}
{"orderId":104,"customer":"c2"}
{"orderId":103,"customer":"c3"}
{"orderId":105,"customer":"c4"}
*/
