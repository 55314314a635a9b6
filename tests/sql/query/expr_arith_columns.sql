-- arithmetic over columns
SELECT orderId, amount * 2 + 1 AS x, amount / 4 AS q FROM 'orders.jsonl' WHERE customer = 'c1'
/* expect:
{"orderId":100,"x":21,"q":2.5}
{"orderId":102,"x":15,"q":1.75}
*/
