-- an unknown column of a named input
SELECT o.amout FROM 'orders.jsonl' o
/* expect error:
error: unknown column 'amout' in 'o'; did you mean 'amount'? at line 2, column 10
  2 | SELECT o.amout FROM 'orders.jsonl' o
    |          ^~~~~
*/
