-- POWER and SQRT
SELECT POWER(2, 10) AS a, POWER(9, 0.5) AS b, SQRT(16) AS c, SQRT(2) AS d
/* expect:
{"a":1024.0,"b":3.0,"c":4.0,"d":1.4142135623730951}
*/
