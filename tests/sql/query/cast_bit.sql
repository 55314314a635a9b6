-- CAST to bit from text and numbers
SELECT CAST('true' AS bit) AS a, CAST('False' AS bit) AS b, CAST(1 AS bit) AS c, CAST(0 AS bit) AS d, CAST('1' AS bit) AS e, CAST(2.5 AS bit) AS f
/* expect:
{"a":true,"b":false,"c":true,"d":false,"e":true,"f":true}
*/
