-- DATEDIFF over an input without an event time
SELECT o.orderId FROM 'orders.jsonl' o JOIN 'shipments.jsonl' s ON o.orderId = s.orderId AND DATEDIFF(second, o, s) BETWEEN 0 AND 10
/* expect error:
error: input 'o' has no event time: add TIMESTAMP BY to it (a file has no event time of its own) at line 2, column 111
  2 | SELECT o.orderId FROM 'orders.jsonl' o JOIN 'shipments.jsonl' s ON o.orderId = s.orderId AND DATEDIFF(second, o, s) BETWEEN 0 AND 10
    |                                                                                                               ^
*/
