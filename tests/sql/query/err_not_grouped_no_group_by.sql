-- a column next to an aggregate without GROUP BY
SELECT orderId, COUNT(*) AS n FROM 'orders.jsonl'
/* expect error:
error: 'orderId' must be in GROUP BY or inside an aggregate (such as MAX(orderId)) at line 2, column 8
  2 | SELECT orderId, COUNT(*) AS n FROM 'orders.jsonl'
    |        ^~~~~~~
*/
