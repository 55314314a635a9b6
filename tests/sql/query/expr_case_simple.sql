-- simple CASE; without ELSE a miss is null
SELECT orderId, CASE customer WHEN 'c1' THEN 1 WHEN 'c2' THEN 2 END AS c FROM 'orders.jsonl'
/* expect:
{"orderId":100,"c":1}
{"orderId":101,"c":2}
{"orderId":102,"c":1}
{"orderId":103,"c":null}
{"orderId":104,"c":2}
{"orderId":105,"c":null}
*/
