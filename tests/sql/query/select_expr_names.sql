-- an expression without an alias is named by its text
SELECT orderId + 1, UPPER(customer) FROM 'orders.jsonl' WHERE orderId = 100
/* expect:
{"orderId + 1":101,"UPPER(customer)":"C1"}
*/
