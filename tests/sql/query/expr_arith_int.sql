-- bigint arithmetic
SELECT 7 + 3 AS a, 7 - 10 AS b, 6 * 7 AS c, 7 % 3 AS d, -7 % 3 AS e, -(5) AS f
/* expect:
{"a":10,"b":-3,"c":42,"d":1,"e":-1,"f":-5}
*/
