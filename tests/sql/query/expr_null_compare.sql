-- a comparison with null is null and WHERE drops it
SELECT id FROM 'mixed.jsonl' WHERE v = NULL OR v <> NULL
/* expect:
*/
