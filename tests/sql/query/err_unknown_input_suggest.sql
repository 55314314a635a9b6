-- an unknown input with the nearest step name
WITH readings AS (SELECT deviceId FROM 'events.jsonl') SELECT deviceId FROM readngs
/* expect error:
error: unknown input 'readngs'; did you mean 'readings'? at line 2, column 77
  2 | WITH readings AS (SELECT deviceId FROM 'events.jsonl') SELECT deviceId FROM readngs
    |                                                                             ^~~~~~~
*/
