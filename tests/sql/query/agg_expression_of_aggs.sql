-- expressions of aggregates and keys
SELECT customer, SUM(amount) * 2 AS dbl, MAX(amount) - MIN(amount) AS spread, customer + '!' AS c FROM 'orders.jsonl' GROUP BY customer
/* expect:
{"customer":"c1","dbl":34,"spread":3,"c":"c1!"}
{"customer":"c2","dbl":60,"spread":20,"c":"c2!"}
{"customer":"c3","dbl":80,"spread":0,"c":"c3!"}
{"customer":"c4","dbl":24,"spread":0,"c":"c4!"}
*/
