-- Collect(x) gathers values in input order; Collect() whole rows
SELECT customer, Collect(orderId) AS ids, Collect() AS rows FROM 'orders.jsonl' WHERE customer IN ('c1', 'c3') GROUP BY customer
/* expect:
{"customer":"c1","ids":[100,102],"rows":[{"orderId":100,"customer":"c1","amount":10,"ts":"2026-11-24T10:00:00Z"},{"orderId":102,"customer":"c1","amount":7,"ts":"2026-11-24T10:00:12Z"}]}
{"customer":"c3","ids":[103],"rows":[{"orderId":103,"customer":"c3","amount":40,"ts":"2026-11-24T10:00:20Z"}]}
*/
