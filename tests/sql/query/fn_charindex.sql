-- CHARINDEX is 1-based, 0 when absent, with a start position
SELECT CHARINDEX('o', 'hello world') AS a, CHARINDEX('o', 'hello world', 6) AS b, CHARINDEX('z', 'hello') AS c, CHARINDEX('ï', 'Ünïcödé') AS d
/* expect:
{"a":5,"b":8,"c":0,"d":3}
*/
