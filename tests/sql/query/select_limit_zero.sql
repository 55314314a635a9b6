-- LIMIT 0 gives no rows
SELECT orderId FROM 'orders.jsonl' LIMIT 0
/* expect:
*/
