-- TOP in a UNION member applies to that member
SELECT TOP 1 orderId FROM 'orders.jsonl' UNION ALL SELECT TOP 2 orderId FROM 'shipments.jsonl'
/* expect:
{"orderId":100}
{"orderId":100}
{"orderId":101}
*/
