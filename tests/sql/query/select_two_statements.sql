-- two statements write one after the other
SELECT orderId FROM 'orders.jsonl' WHERE orderId = 100;
SELECT COUNT(*) AS n FROM 'orders.jsonl'
/* expect:
{"orderId":100}
{"n":6}
*/
