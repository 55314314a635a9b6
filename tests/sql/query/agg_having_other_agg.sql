-- HAVING on an aggregate not in the select list
SELECT deviceId FROM 'events.jsonl' GROUP BY deviceId HAVING COUNT(*) >= 6
/* expect:
{"deviceId":"dev-1"}
{"deviceId":"dev-2"}
*/
