-- YEAR, MONTH, DAY of a column
SELECT orderId, YEAR(ts) AS y, MONTH(ts) AS m, DAY(ts) AS d FROM 'orders.jsonl' WHERE orderId = 100
/* expect:
{"orderId":100,"y":2026,"m":11,"d":24}
*/
