-- read_json
SELECT * FROM read_json('logs/*.jsonl') j
-- expect:
SELECT *
FROM read_json('logs/*.jsonl') AS j
