-- HAVING filters groups
SELECT customer, SUM(amount) AS total FROM 'orders.jsonl' GROUP BY customer HAVING SUM(amount) > 15
/* expect:
{"customer":"c1","total":17}
{"customer":"c2","total":30}
{"customer":"c3","total":40}
*/
