-- a malformed line in a JSON file names the file, the line and the byte
-- runner: eddy (the message is the product reader's)
SELECT * FROM 'bad.jsonl'
/* expect error:
error: bad.jsonl:2: expected a value at byte 25
*/
