-- bigint and float compare by value
SELECT 1 = 1.0 AS a, 2 > 1.5 AS b, 3 <= 2.999 AS c, 9007199254740993 > 9007199254740992.0 AS d
/* expect:
{"a":true,"b":true,"c":false,"d":true}
*/
