-- percentiles per group, nulls skipped
SELECT deviceId, PERCENTILE_CONT(0.25) OVER (ORDER BY temperature) AS q1, PERCENTILE_DISC(1.0) OVER (ORDER BY temperature) AS mx FROM 'events.jsonl' GROUP BY deviceId
/* expect:
{"deviceId":"dev-1","q1":21.75,"mx":24.5}
{"deviceId":"dev-2","q1":19.0,"mx":20.0}
{"deviceId":"dev-3","q1":25.0,"mx":27.5}
{"deviceId":"dev-4","q1":29.5,"mx":31.5}
{"deviceId":"dev-5","q1":15.625,"mx":16.0}
*/
