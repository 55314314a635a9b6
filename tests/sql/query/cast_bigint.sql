-- CAST to bigint truncates floats and parses integers
SELECT CAST(2.9 AS bigint) AS a, CAST(-2.9 AS bigint) AS b, CAST('  42 ' AS bigint) AS c, CAST(TRUE AS bigint) AS d
/* expect:
{"a":2,"b":-2,"c":42,"d":1}
*/
