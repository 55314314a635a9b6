-- LOG, LOG with a base, EXP
SELECT LOG(EXP(1)) AS a, LOG(8, 2) AS b, LOG(100, 10) AS c, EXP(0) AS d
/* expect:
{"a":1.0,"b":3.0,"c":2.0,"d":1.0}
*/
