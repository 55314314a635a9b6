-- a syntax error from the parser
SELECT orderId FROM 'orders.jsonl' WHERE
/* expect error:
error: expected an expression, found end of query at line 2, column 41
  2 | SELECT orderId FROM 'orders.jsonl' WHERE
    |                                         ^
*/
