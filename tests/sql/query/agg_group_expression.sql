-- GROUP BY an expression; the select list repeats it
SELECT UPPER(site) AS site, COUNT(*) AS n FROM 'events.jsonl' GROUP BY UPPER(site)
/* expect:
{"site":"NORTH","n":12}
{"site":"SOUTH","n":6}
{"site":"EAST","n":4}
{"site":"WEST","n":2}
*/
