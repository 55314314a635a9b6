-- an unknown function from the parser
SELECT AVGG(amount) FROM 'orders.jsonl'
/* expect error:
error: unknown function 'AVGG'; did you mean 'AVG'? at line 2, column 8
  2 | SELECT AVGG(amount) FROM 'orders.jsonl'
    |        ^~~~
*/
