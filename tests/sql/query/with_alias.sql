-- a step read under an alias
WITH s AS (SELECT orderId FROM 'orders.jsonl') SELECT x.orderId FROM s AS x WHERE x.orderId > 104
/* expect:
{"orderId":105}
*/
