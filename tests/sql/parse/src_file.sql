-- a 'file' as the source
SELECT * FROM 'events.jsonl'
-- expect:
SELECT *
FROM 'events.jsonl'
