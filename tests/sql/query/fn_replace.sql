-- REPLACE every occurrence
SELECT REPLACE('a-b-c', '-', '+') AS a, REPLACE('aaa', 'aa', 'b') AS b, REPLACE('abc', '', 'x') AS c
/* expect:
{"a":"a+b+c","b":"ba","c":"abc"}
*/
