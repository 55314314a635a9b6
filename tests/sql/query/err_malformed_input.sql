-- a malformed line in a JSON file names the file and line
-- runner: testsrc (the message is the test source's; real readers word it their own way)
SELECT * FROM 'bad.jsonl'
/* expect error:
error: bad.jsonl:2: not a JSON object
*/
