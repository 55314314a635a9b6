-- LIMIT without ORDER BY takes rows in input order
SELECT orderId FROM 'orders.jsonl' LIMIT 2
/* expect:
{"orderId":100}
{"orderId":101}
*/
