-- a .csv file reads with a header; quoted fields keep their commas
SELECT deviceId, model, capacity FROM 'devices.csv'
/* expect:
{"deviceId":"dev-1","model":"TX-100","capacity":100}
{"deviceId":"dev-2","model":"TX-200","capacity":200}
{"deviceId":"dev-3","model":"TX-300, rev B","capacity":150}
{"deviceId":"dev-4","model":"TX-100","capacity":100}
{"deviceId":"dev-6","model":"TX-900","capacity":null}
*/
