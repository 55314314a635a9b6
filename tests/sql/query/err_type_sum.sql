-- SUM of a string
SELECT SUM('x') AS s FROM 'orders.jsonl'
/* expect error:
error: SUM needs a number, found nvarchar(max) at line 2, column 12
  2 | SELECT SUM('x') AS s FROM 'orders.jsonl'
    |            ^~~
*/
