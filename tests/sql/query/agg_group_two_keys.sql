-- GROUP BY two keys
SELECT site, status, COUNT(*) AS n FROM 'events.jsonl' GROUP BY site, status
/* expect:
{"site":"north","status":"ok","n":8}
{"site":"south","status":"ok","n":5}
{"site":"north","status":"warn","n":3}
{"site":"east","status":"fail","n":3}
{"site":"south","status":"warn","n":1}
{"site":"west","status":"ok","n":2}
{"site":"north","status":"fail","n":1}
{"site":"east","status":"warn","n":1}
*/
