-- two inputs with one name
SELECT a.orderId FROM 'orders.jsonl' a JOIN 'shipments.jsonl' a ON a.orderId = a.orderId
/* expect error:
error: input name 'a' is used twice: give one an alias at line 2, column 63
  2 | SELECT a.orderId FROM 'orders.jsonl' a JOIN 'shipments.jsonl' a ON a.orderId = a.orderId
    |                                                               ^
*/
