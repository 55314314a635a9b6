-- CONCAT joins values as text; null is the empty string
SELECT CONCAT(customer, '#', orderId, NULL, '/', amount * 1.5) AS c FROM 'orders.jsonl' WHERE orderId <= 101
/* expect:
{"c":"c1#100/15.0"}
{"c":"c2#101/37.5"}
*/
