-- math functions over a column
SELECT i, ABS(x) AS ax, SQRT(ABS(x)) AS r FROM 'numbers.jsonl' WHERE i <= 3
/* expect:
{"i":1,"ax":49,"r":7.0}
{"i":2,"ax":46,"r":6.782329983125268}
{"i":3,"ax":41,"r":6.4031242374328485}
*/
