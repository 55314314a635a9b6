-- a step no statement reads does not run
WITH unused AS (SELECT 1 / 0 AS boom FROM 'orders.jsonl') SELECT COUNT(*) AS n FROM 'orders.jsonl'
/* expect:
{"n":6}
*/
