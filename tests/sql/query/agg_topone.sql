-- TopOne returns the first event in the ORDER BY as a record
SELECT deviceId, TopOne() OVER (ORDER BY temperature DESC) AS hottest FROM 'events.jsonl' WHERE site = 'west' GROUP BY deviceId
/* expect:
{"deviceId":"dev-5","hottest":{"deviceId":"dev-5","temperature":16.0,"humidity":71,"status":"ok","ts":"2026-11-24T20:00:33Z","site":"west","tags":[],"props":{"unit":"C","fw":{"major":3,"minor":0}},"reading":6.0}}
*/
