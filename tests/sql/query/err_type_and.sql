-- AND needs conditions
SELECT orderId FROM 'orders.jsonl' WHERE 1 AND amount > 3
/* expect error:
error: AND needs conditions on both sides, found bigint at line 2, column 42
  2 | SELECT orderId FROM 'orders.jsonl' WHERE 1 AND amount > 3
    |                                          ^
*/
