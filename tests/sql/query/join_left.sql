-- LEFT JOIN keeps rows without a partner, with nulls
SELECT DISTINCT e.deviceId, d.model FROM 'events.jsonl' e LEFT JOIN 'devices.csv' d ON e.deviceId = d.deviceId
/* expect:
{"deviceId":"dev-1","model":"TX-100"}
{"deviceId":"dev-2","model":"TX-200"}
{"deviceId":"dev-3","model":"TX-300, rev B"}
{"deviceId":"dev-4","model":"TX-100"}
{"deviceId":"dev-5","model":null}
*/
