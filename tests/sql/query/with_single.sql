-- a WITH step read by the statement
WITH big AS (SELECT orderId, amount FROM 'orders.jsonl' WHERE amount > 10) SELECT orderId FROM big WHERE amount < 30
/* expect:
{"orderId":101}
{"orderId":105}
*/
