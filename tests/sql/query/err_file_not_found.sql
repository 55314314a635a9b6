-- a file that does not exist
SELECT * FROM 'nope.jsonl'
/* expect error:
error: no file matches 'nope.jsonl' (no such file or folder) at line 2, column 15
  2 | SELECT * FROM 'nope.jsonl'
    |               ^~~~~~~~~~~~
*/
