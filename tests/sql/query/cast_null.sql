-- CAST of null is null
SELECT CAST(NULL AS bigint) AS a, TRY_CAST(NULL AS datetime) AS b
/* expect:
{"a":null,"b":null}
*/
