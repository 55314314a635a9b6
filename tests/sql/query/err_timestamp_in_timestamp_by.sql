-- System.Timestamp() cannot give the event time itself
SELECT orderId FROM 'orders.jsonl' TIMESTAMP BY System.Timestamp()
/* expect error:
error: System.Timestamp() cannot be used in TIMESTAMP BY at line 2, column 49
  2 | SELECT orderId FROM 'orders.jsonl' TIMESTAMP BY System.Timestamp()
    |                                                 ^~~~~~~~~~~~~~~~~~
*/
