-- TOP with ORDER BY takes the first rows in order
SELECT TOP 3 orderId, amount FROM 'orders.jsonl' ORDER BY amount DESC
/* expect:
{"orderId":103,"amount":40}
{"orderId":101,"amount":25}
{"orderId":105,"amount":12}
*/
