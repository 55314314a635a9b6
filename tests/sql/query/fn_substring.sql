-- SUBSTRING is 1-based; out-of-range parts are cut
SELECT SUBSTRING('hello', 2, 3) AS a, SUBSTRING('hello', 0, 3) AS b, SUBSTRING('hello', 4, 10) AS c, SUBSTRING('hello', 9, 2) AS d, SUBSTRING('Ünïcödé', 2, 3) AS e
/* expect:
{"a":"ell","b":"he","c":"lo","d":"","e":"nïc"}
*/
