-- aggregates over the whole input
SELECT COUNT(*) AS n, AVG(amount) AS avg, MIN(orderId) AS first FROM 'orders.jsonl'
/* expect:
{"n":6,"avg":16.5,"first":100}
*/
