-- / is float division, also of two bigints
SELECT 7 / 2 AS a, 6 / 3 AS b, 1.0 / 4 AS c, -9 / 4 AS d
/* expect:
{"a":3.5,"b":2.0,"c":0.25,"d":-2.25}
*/
