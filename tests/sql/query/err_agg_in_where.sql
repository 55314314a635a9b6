-- an aggregate in WHERE
SELECT customer FROM 'orders.jsonl' WHERE COUNT(*) > 1 GROUP BY customer
/* expect error:
error: aggregate COUNT is not allowed in WHERE (use HAVING to filter groups) at line 2, column 43
  2 | SELECT customer FROM 'orders.jsonl' WHERE COUNT(*) > 1 GROUP BY customer
    |                                           ^~~~~~~~
*/
