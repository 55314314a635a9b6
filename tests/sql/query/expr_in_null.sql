-- IN with a null in the list is null when nothing matches
SELECT 1 IN (1, NULL) AS a, 2 IN (1, NULL) AS b, 2 NOT IN (1, NULL) AS c, NULL IN (1) AS d
/* expect:
{"a":true,"b":null,"c":null,"d":null}
*/
