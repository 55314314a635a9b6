-- hub() takes the hub's name as a string
SELECT deviceId FROM hub(telemetry)
/* expect error:
error: the name of hub must be a string literal at line 2, column 26
  2 | SELECT deviceId FROM hub(telemetry)
    |                          ^~~~~~~~~
*/
