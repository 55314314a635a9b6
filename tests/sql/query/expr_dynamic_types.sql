-- a column whose type varies: arithmetic on a string is null, never an error
SELECT id, v + 1 AS w FROM 'mixed.jsonl'
/* expect:
{"id":1,"w":2}
{"id":2,"w":3.5}
{"id":3,"w":null}
{"id":4,"w":null}
{"id":5,"w":null}
{"id":6,"w":2}
{"id":7,"w":null}
{"id":8,"w":null}
{"id":9,"w":null}
{"id":10,"w":-3}
*/
