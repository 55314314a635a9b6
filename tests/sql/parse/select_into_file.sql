-- INTO 'file'
SELECT * INTO 'out.jsonl' FROM t
-- expect:
SELECT *
INTO 'out.jsonl'
FROM t
