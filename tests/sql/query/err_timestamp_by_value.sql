-- TIMESTAMP BY of a string that is not a datetime
SELECT orderId FROM 'orders.jsonl' TIMESTAMP BY customer
/* expect error:
error: the event time "c1" is not a datetime at line 2, column 49
  2 | SELECT orderId FROM 'orders.jsonl' TIMESTAMP BY customer
    |                                                 ^~~~~~~~
*/
