-- null keys form one group
SELECT reading IS NULL AS missing, COUNT(*) AS n FROM 'events.jsonl' GROUP BY reading IS NULL
/* expect:
{"missing":false,"n":22}
{"missing":true,"n":2}
*/
