-- TIMESTAMP BY needs a datetime
SELECT orderId FROM 'orders.jsonl' TIMESTAMP BY 42
/* expect error:
error: TIMESTAMP BY needs a datetime (or an ISO-8601 string), found bigint at line 2, column 49
  2 | SELECT orderId FROM 'orders.jsonl' TIMESTAMP BY 42
    |                                                 ^~
*/
