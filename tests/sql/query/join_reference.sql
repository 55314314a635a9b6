-- INNER JOIN with reference data (a CSV) on a key
SELECT e.deviceId, d.model, COUNT(*) AS n FROM 'events.jsonl' e JOIN 'devices.csv' d ON e.deviceId = d.deviceId GROUP BY e.deviceId, d.model
/* expect:
{"deviceId":"dev-1","model":"TX-100","n":7}
{"deviceId":"dev-2","model":"TX-200","n":6}
{"deviceId":"dev-3","model":"TX-300, rev B","n":5}
{"deviceId":"dev-4","model":"TX-100","n":4}
*/
