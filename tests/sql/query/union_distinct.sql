-- UNION removes duplicates
SELECT customer FROM 'orders.jsonl' WHERE amount > 20 UNION SELECT customer FROM 'orders.jsonl' WHERE amount > 24
/* expect:
{"customer":"c2"}
{"customer":"c3"}
*/
