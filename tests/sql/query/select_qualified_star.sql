-- t.* expands one input's columns
SELECT o.* FROM 'orders.jsonl' AS o WHERE o.amount >= 25
/* expect:
{"orderId":101,"customer":"c2","amount":25,"ts":"2026-11-24T10:00:05Z"}
{"orderId":103,"customer":"c3","amount":40,"ts":"2026-11-24T10:00:20Z"}
*/
