-- top-N: ORDER BY with LIMIT
SELECT i, x FROM 'numbers.jsonl' ORDER BY x DESC LIMIT 3
/* expect:
{"i":20,"x":350}
{"i":19,"x":311}
{"i":18,"x":274}
*/
