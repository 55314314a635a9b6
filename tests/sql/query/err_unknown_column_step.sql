-- an unknown column of a WITH step
WITH s AS (SELECT orderId, amount FROM 'orders.jsonl') SELECT amont FROM s
/* expect error:
error: unknown column 'amont'; did you mean 'amount'? at line 2, column 63
  2 | WITH s AS (SELECT orderId, amount FROM 'orders.jsonl') SELECT amont FROM s
    |                                                               ^~~~~
*/
