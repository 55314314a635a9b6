-- HAVING needs a condition
SELECT customer FROM 'orders.jsonl' GROUP BY customer HAVING COUNT(*)
/* expect error:
error: HAVING needs a condition, found bigint at line 2, column 62
  2 | SELECT customer FROM 'orders.jsonl' GROUP BY customer HAVING COUNT(*)
    |                                                              ^~~~~~~~
*/
