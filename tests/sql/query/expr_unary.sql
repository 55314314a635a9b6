-- unary minus and plus on columns and literals
SELECT -amount AS neg, +amount AS pos, - -3 AS dbl FROM 'orders.jsonl' WHERE orderId = 104
/* expect:
{"neg":-5,"pos":5,"dbl":3}
*/
