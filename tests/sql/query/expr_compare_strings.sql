-- strings compare bytewise
SELECT 'abc' < 'abd' AS a, 'B' < 'a' AS b, 'x' = 'x' AS c, 'x' <> 'X' AS d, 'ab' < 'abc' AS e
/* expect:
{"a":true,"b":true,"c":true,"d":true,"e":true}
*/
