-- an unknown column in WHERE
SELECT orderId FROM 'orders.jsonl' WHERE custmer = 'c1'
/* expect error:
error: unknown column 'custmer'; did you mean 'customer'? at line 2, column 42
  2 | SELECT orderId FROM 'orders.jsonl' WHERE custmer = 'c1'
    |                                          ^~~~~~~
*/
