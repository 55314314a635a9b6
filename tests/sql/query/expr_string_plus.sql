-- + concatenates strings
SELECT customer + '-' + 'x' AS s FROM 'orders.jsonl' WHERE orderId = 101
/* expect:
{"s":"c2-x"}
*/
