-- a column both inputs have must be qualified
SELECT orderId FROM 'orders.jsonl' o JOIN 'shipments.jsonl' s ON o.orderId = s.orderId
/* expect error:
error: ambiguous column 'orderId': more than one input has it; qualify it with the input's name at line 2, column 8
  2 | SELECT orderId FROM 'orders.jsonl' o JOIN 'shipments.jsonl' s ON o.orderId = s.orderId
    |        ^~~~~~~
*/
