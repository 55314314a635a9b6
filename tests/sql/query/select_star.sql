-- SELECT * expands to the source's columns
SELECT * FROM 'orders.jsonl'
/* expect:
{"orderId":100,"customer":"c1","amount":10,"ts":"2026-11-24T10:00:00Z"}
{"orderId":101,"customer":"c2","amount":25,"ts":"2026-11-24T10:00:05Z"}
{"orderId":102,"customer":"c1","amount":7,"ts":"2026-11-24T10:00:12Z"}
{"orderId":103,"customer":"c3","amount":40,"ts":"2026-11-24T10:00:20Z"}
{"orderId":104,"customer":"c2","amount":5,"ts":"2026-11-24T10:00:33Z"}
{"orderId":105,"customer":"c4","amount":12,"ts":"2026-11-24T10:00:50Z"}
*/
