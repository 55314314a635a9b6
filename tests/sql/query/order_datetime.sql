-- ORDER BY a datetime
SELECT orderId FROM 'shipments.jsonl' ORDER BY CAST(ts AS datetime) DESC LIMIT 3
/* expect:
{"orderId":103}
{"orderId":105}
{"orderId":101}
*/
