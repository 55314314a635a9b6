-- records and arrays come out as JSON
SELECT tags, props FROM 'events.jsonl' WHERE ts = '2026-11-24T20:00:07Z'
/* expect:
{"tags":["c","d","e"],"props":{"unit":"C"}}
*/
