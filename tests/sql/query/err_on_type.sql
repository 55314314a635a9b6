-- ON needs a condition
SELECT o.orderId FROM 'orders.jsonl' o JOIN 'shipments.jsonl' s ON 'yes'
/* expect error:
error: ON needs a condition, found nvarchar(max) at line 2, column 68
  2 | SELECT o.orderId FROM 'orders.jsonl' o JOIN 'shipments.jsonl' s ON 'yes'
    |                                                                    ^~~~~
*/
