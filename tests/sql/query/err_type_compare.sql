-- comparing a string with a number
SELECT orderId FROM 'orders.jsonl' WHERE 'abc' > 5
/* expect error:
error: cannot compare nvarchar(max) and bigint at line 2, column 42
  2 | SELECT orderId FROM 'orders.jsonl' WHERE 'abc' > 5
    |                                          ^~~~~~~~~
*/
