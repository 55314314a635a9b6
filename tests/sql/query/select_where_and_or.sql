-- WHERE with AND, OR and parentheses
SELECT orderId FROM 'orders.jsonl' WHERE (customer = 'c1' OR customer = 'c2') AND amount > 6
/* expect:
{"orderId":100}
{"orderId":101}
{"orderId":102}
*/
