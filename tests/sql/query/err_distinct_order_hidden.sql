-- SELECT DISTINCT cannot ORDER BY what it does not select
SELECT DISTINCT customer FROM 'orders.jsonl' ORDER BY amount
/* expect error:
error: with SELECT DISTINCT, ORDER BY can only use the selected columns at line 2, column 55
  2 | SELECT DISTINCT customer FROM 'orders.jsonl' ORDER BY amount
    |                                                       ^~~~~~
*/
