-- TopOne takes the earlier event among equal keys
SELECT TopOne() OVER (ORDER BY customer ASC) AS first FROM 'orders.jsonl'
/* expect:
{"first":{"orderId":100,"customer":"c1","amount":10,"ts":"2026-11-24T10:00:00Z"}}
*/
