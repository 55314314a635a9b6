-- operator precedence and parentheses
SELECT 2 + 3 * 4 AS a, (2 + 3) * 4 AS b, 10 - 4 - 3 AS c, 2 * 3 % 4 AS d
/* expect:
{"a":14,"b":20,"c":3,"d":2}
*/
