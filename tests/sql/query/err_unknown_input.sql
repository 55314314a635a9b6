-- an unknown input without a near name
SELECT a FROM telemetry
/* expect error:
error: unknown input 'telemetry': name a WITH step, a file ('telemetry.jsonl') or a table source (read_json, read_csv, read_avro, lake) at line 2, column 15
  2 | SELECT a FROM telemetry
    |               ^~~~~~~~~
*/
