-- steps reading steps
WITH a AS (SELECT orderId, amount FROM 'orders.jsonl'), b AS (SELECT orderId, amount * 2 AS dbl FROM a), c AS (SELECT orderId FROM b WHERE dbl > 30) SELECT COUNT(*) AS n FROM c
/* expect:
{"n":2}
*/
