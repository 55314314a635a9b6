-- float arithmetic and mixed bigint/float
SELECT 0.1 + 0.2 AS a, 1.5 * 2 AS b, 10 - 0.25 AS c, 2.5 % 1 AS d
/* expect:
{"a":0.30000000000000004,"b":3.0,"c":9.75,"d":0.5}
*/
