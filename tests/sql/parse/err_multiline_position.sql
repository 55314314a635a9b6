-- an error on a later line
SELECT deviceId,
       AVG(temperature) AS avgTemp
FROM hub('telemetry')
GROUP BY deviceId,, TumblingWindow(second, 10)
-- expect error:
error: expected an expression, found ',' at line 5, column 19
  5 | GROUP BY deviceId,, TumblingWindow(second, 10)
    |                   ^
