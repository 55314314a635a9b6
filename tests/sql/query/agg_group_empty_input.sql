-- GROUP BY over no rows gives no rows
SELECT customer, COUNT(*) AS n FROM 'orders.jsonl' WHERE amount > 1000 GROUP BY customer
/* expect:
*/
