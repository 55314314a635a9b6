-- fields of TopOne's record through a step
WITH t AS (SELECT deviceId, TopOne() OVER (ORDER BY ts DESC) AS last FROM 'events.jsonl' GROUP BY deviceId) SELECT deviceId, last.ts AS ts, last.status AS status FROM t
/* expect:
{"deviceId":"dev-1","ts":"2026-11-24T20:00:47Z","status":"ok"}
{"deviceId":"dev-2","ts":"2026-11-24T20:00:41Z","status":"ok"}
{"deviceId":"dev-3","ts":"2026-11-24T20:00:38Z","status":"ok"}
{"deviceId":"dev-4","ts":"2026-11-24T20:00:44Z","status":"warn"}
{"deviceId":"dev-5","ts":"2026-11-24T20:00:33Z","status":"ok"}
*/
