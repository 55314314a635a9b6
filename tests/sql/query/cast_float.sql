-- CAST to float
SELECT CAST(3 AS float) AS a, CAST('1.5e3' AS float) AS b, CAST('-0.25' AS float) AS c
/* expect:
{"a":3.0,"b":1500.0,"c":-0.25}
*/
