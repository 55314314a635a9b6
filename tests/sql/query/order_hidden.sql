-- ORDER BY a column that is not selected
SELECT orderId FROM 'orders.jsonl' ORDER BY amount
/* expect:
{"orderId":104}
{"orderId":102}
{"orderId":100}
{"orderId":105}
{"orderId":101}
{"orderId":103}
*/
