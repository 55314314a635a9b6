-- an aggregate without GROUP BY over no rows gives one row
SELECT COUNT(*) AS n, SUM(amount) AS s, MAX(amount) AS m FROM 'orders.jsonl' WHERE amount > 1000
/* expect:
{"n":0,"s":null,"m":null}
*/
