-- AND skips its right side where the left is false
SELECT i FROM 'numbers.jsonl' WHERE k <> 0 AND 12 / k > 5
/* expect:
{"i":1}
{"i":2}
{"i":5}
{"i":6}
{"i":9}
{"i":10}
{"i":13}
{"i":14}
{"i":17}
{"i":18}
*/
