-- CASE evaluates a branch only where it is taken (no division by zero)
SELECT i, k, CASE WHEN k = 0 THEN 0 ELSE 12 / k END AS r FROM 'numbers.jsonl' WHERE i <= 5
/* expect:
{"i":1,"k":1,"r":12.0}
{"i":2,"k":2,"r":6.0}
{"i":3,"k":3,"r":4.0}
{"i":4,"k":0,"r":0.0}
{"i":5,"k":1,"r":12.0}
*/
