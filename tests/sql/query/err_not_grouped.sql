-- a column neither grouped nor aggregated
SELECT customer, amount, COUNT(*) AS n FROM 'orders.jsonl' GROUP BY customer
/* expect error:
error: 'amount' must be in GROUP BY or inside an aggregate (such as MAX(amount)) at line 2, column 18
  2 | SELECT customer, amount, COUNT(*) AS n FROM 'orders.jsonl' GROUP BY customer
    |                  ^~~~~~
*/
