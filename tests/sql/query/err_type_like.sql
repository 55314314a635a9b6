-- LIKE needs text
SELECT orderId FROM 'orders.jsonl' WHERE 5 LIKE '5%'
/* expect error:
error: LIKE needs nvarchar(max), found bigint at line 2, column 42
  2 | SELECT orderId FROM 'orders.jsonl' WHERE 5 LIKE '5%'
    |                                          ^
*/
