-- ORDER BY an aggregate
SELECT customer, COUNT(*) AS n FROM 'orders.jsonl' GROUP BY customer ORDER BY COUNT(*) DESC, customer
/* expect:
{"customer":"c1","n":2}
{"customer":"c2","n":2}
{"customer":"c3","n":1}
{"customer":"c4","n":1}
*/
