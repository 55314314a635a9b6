-- ORDER BY an output alias and an expression of aliases
SELECT orderId AS id, amount * 2 AS dbl FROM 'orders.jsonl' ORDER BY dbl DESC, id
/* expect:
{"id":103,"dbl":80}
{"id":101,"dbl":50}
{"id":105,"dbl":24}
{"id":100,"dbl":20}
{"id":102,"dbl":14}
{"id":104,"dbl":10}
*/
