-- CAST of JSON text to record and array
SELECT GetRecordPropertyValue(CAST('{"a": 5}' AS record), 'a') AS a, GetArrayLength(CAST('[1, 2, 3]' AS array)) AS n
/* expect:
{"a":5,"n":3}
*/
