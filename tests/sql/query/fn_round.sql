-- ROUND to digits, negative digits, and truncation
SELECT ROUND(2.567, 2) AS a, ROUND(2.5) AS b, ROUND(-2.5) AS c, ROUND(1234, -2) AS d, ROUND(1250, -2) AS e, ROUND(2.567, 1, 1) AS f, ROUND(-1251, -2) AS g
/* expect:
{"a":2.57,"b":3.0,"c":-3.0,"d":1200,"e":1300,"f":2.5,"g":-1300}
*/
