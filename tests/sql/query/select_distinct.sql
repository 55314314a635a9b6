-- SELECT DISTINCT keeps one of equal rows
SELECT DISTINCT site, status FROM 'events.jsonl' WHERE site <> 'north'
/* expect:
{"site":"south","status":"ok"}
{"site":"east","status":"fail"}
{"site":"south","status":"warn"}
{"site":"west","status":"ok"}
{"site":"east","status":"warn"}
*/
