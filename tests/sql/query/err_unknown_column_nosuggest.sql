-- an unknown column with no near name
SELECT banana FROM 'events.jsonl'
/* expect error:
error: unknown column 'banana' at line 2, column 8
  2 | SELECT banana FROM 'events.jsonl'
    |        ^~~~~~
*/
