-- UNION ALL keeps duplicates
SELECT customer FROM 'orders.jsonl' WHERE amount > 20 UNION ALL SELECT customer FROM 'orders.jsonl' WHERE amount > 24
/* expect:
{"customer":"c2"}
{"customer":"c3"}
{"customer":"c2"}
{"customer":"c3"}
*/
