-- two output columns with one name
SELECT orderId, amount AS orderId FROM 'orders.jsonl'
/* expect error:
error: duplicate output column 'orderId': give one of them an alias (AS name) at line 2, column 17
  2 | SELECT orderId, amount AS orderId FROM 'orders.jsonl'
    |                 ^~~~~~
*/
