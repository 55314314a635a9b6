-- an aggregate step read by a plain statement
WITH per AS (SELECT customer, SUM(amount) AS total FROM 'orders.jsonl' GROUP BY customer) SELECT customer FROM per WHERE total >= 17
/* expect:
{"customer":"c1"}
{"customer":"c2"}
{"customer":"c3"}
*/
