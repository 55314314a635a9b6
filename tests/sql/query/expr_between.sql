-- BETWEEN and NOT BETWEEN, bounds included
SELECT orderId FROM 'orders.jsonl' WHERE amount BETWEEN 10 AND 25 AND orderId NOT BETWEEN 101 AND 101
/* expect:
{"orderId":100}
{"orderId":105}
*/
