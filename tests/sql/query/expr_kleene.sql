-- three-valued AND, OR, NOT
SELECT NULL AND FALSE AS a, NULL AND TRUE AS b, NULL OR TRUE AS c, NULL OR FALSE AS d, NOT (1 = NULL) AS e, TRUE AND TRUE AS f
/* expect:
{"a":false,"b":null,"c":true,"d":null,"e":null,"f":true}
*/
