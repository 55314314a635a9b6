-- an aggregate in GROUP BY
SELECT COUNT(*) AS n FROM 'orders.jsonl' GROUP BY SUM(amount)
/* expect error:
error: aggregate SUM is not allowed in GROUP BY at line 2, column 51
  2 | SELECT COUNT(*) AS n FROM 'orders.jsonl' GROUP BY SUM(amount)
    |                                                   ^~~~~~~~~~~
*/
