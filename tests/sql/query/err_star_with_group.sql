-- SELECT * in an aggregate query
SELECT * FROM 'orders.jsonl' GROUP BY customer
/* expect error:
error: SELECT * cannot be used with GROUP BY or aggregates: name the columns at line 2, column 8
  2 | SELECT * FROM 'orders.jsonl' GROUP BY customer
    |        ^
*/
