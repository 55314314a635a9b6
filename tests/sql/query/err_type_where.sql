-- WHERE needs a condition
SELECT orderId FROM 'orders.jsonl' WHERE 'yes'
/* expect error:
error: WHERE needs a condition, found nvarchar(max) at line 2, column 42
  2 | SELECT orderId FROM 'orders.jsonl' WHERE 'yes'
    |                                          ^~~~~
*/
