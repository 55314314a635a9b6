-- an aggregate inside an aggregate
SELECT SUM(COUNT(*)) AS n FROM 'orders.jsonl'
/* expect error:
error: aggregate COUNT is not allowed in another aggregate's argument at line 2, column 12
  2 | SELECT SUM(COUNT(*)) AS n FROM 'orders.jsonl'
    |            ^~~~~~~~
*/
