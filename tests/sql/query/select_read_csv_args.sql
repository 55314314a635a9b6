-- read_csv with named arguments
SELECT deviceId, capacity FROM read_csv('devices.csv', header => true, delim => ',') WHERE capacity IS NULL
/* expect:
{"deviceId":"dev-6","capacity":null}
*/
