-- SUM over a dynamic column adds the numbers only
SELECT SUM(reading) AS s, COUNT(reading) AS n FROM 'events.jsonl'
/* expect:
{"s":249.0,"n":22}
*/
