-- runner: eddy (SELECT * over a hub: its events' fields are not known before they arrive)
SELECT * FROM hub('telemetry')
/* expect error:
error: SELECT * over a hub needs the columns named: the fields of its events are not known before they arrive at line 2, column 8
  2 | SELECT * FROM hub('telemetry')
    |        ^
*/
