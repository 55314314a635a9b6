-- an unknown column with the nearest name
SELECT temprature FROM 'events.jsonl'
/* expect error:
error: unknown column 'temprature'; did you mean 'temperature'? at line 2, column 8
  2 | SELECT temprature FROM 'events.jsonl'
    |        ^~~~~~~~~~
*/
