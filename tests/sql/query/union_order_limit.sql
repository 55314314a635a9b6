-- ORDER BY and LIMIT apply to the whole UNION
SELECT orderId AS id, amount FROM 'orders.jsonl' UNION ALL SELECT orderId, 0 FROM 'shipments.jsonl' ORDER BY id DESC, amount LIMIT 4
/* expect:
{"id":999,"amount":0}
{"id":105,"amount":0}
{"id":105,"amount":12}
{"id":104,"amount":5}
*/
