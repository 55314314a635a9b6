-- a datetime compares with a datetime string
SELECT orderId FROM 'orders.jsonl' WHERE CAST(ts AS datetime) >= '2026-11-24T10:00:20Z'
/* expect:
{"orderId":103}
{"orderId":104}
{"orderId":105}
*/
