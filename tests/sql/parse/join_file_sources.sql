-- joining file sources
SELECT * FROM 'a.jsonl' AS x JOIN read_csv('b.csv', header => true) AS y ON x.id = y.id
-- expect:
SELECT *
FROM 'a.jsonl' AS x
INNER JOIN read_csv('b.csv', header => TRUE) AS y ON (x.id = y.id)
