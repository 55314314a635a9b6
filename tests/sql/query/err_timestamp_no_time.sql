-- System.Timestamp() over a file needs TIMESTAMP BY
SELECT orderId, System.Timestamp() AS t FROM 'orders.jsonl'
/* expect error:
error: System.Timestamp() needs an event time: add TIMESTAMP BY to the input (a file has no event time of its own) at line 2, column 17
  2 | SELECT orderId, System.Timestamp() AS t FROM 'orders.jsonl'
    |                 ^~~~~~~~~~~~~~~~~~
*/
