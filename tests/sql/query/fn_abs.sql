-- ABS of bigint and float
SELECT ABS(-5) AS a, ABS(5) AS b, ABS(-2.5) AS c
/* expect:
{"a":5,"b":5,"c":2.5}
*/
