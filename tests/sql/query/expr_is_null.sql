-- IS NULL and IS NOT NULL, also for missing fields
SELECT deviceId, ts, temperature IS NULL AS noTemp FROM 'events.jsonl' WHERE temperature IS NULL OR reading IS NULL
/* expect:
{"deviceId":"dev-4","ts":"2026-11-24T20:00:07Z","noTemp":true}
{"deviceId":"dev-2","ts":"2026-11-24T20:00:41Z","noTemp":true}
*/
