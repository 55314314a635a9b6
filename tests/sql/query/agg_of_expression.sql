-- aggregates of expressions
SELECT SUM(amount * 2) AS s, AVG(CASE WHEN amount > 10 THEN 1 ELSE 0 END) AS share FROM 'orders.jsonl'
/* expect:
{"s":198,"share":0.5}
*/
