-- one step read by two statements
WITH c1 AS (SELECT orderId, amount FROM 'orders.jsonl' WHERE customer = 'c1') SELECT SUM(amount) AS s FROM c1; SELECT MAX(orderId) AS m FROM c1
/* expect:
{"s":17}
{"m":102}
*/
