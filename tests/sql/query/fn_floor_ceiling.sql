-- FLOOR and CEILING
SELECT FLOOR(2.5) AS a, FLOOR(-2.5) AS b, CEILING(2.1) AS c, CEILING(-2.1) AS d, FLOOR(7) AS e
/* expect:
{"a":2.0,"b":-3.0,"c":3.0,"d":-2.0,"e":7}
*/
