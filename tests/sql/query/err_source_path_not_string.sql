-- a table source's path must be a string literal
SELECT * FROM read_json(42)
/* expect error:
error: the path of read_json must be a string literal at line 2, column 25
  2 | SELECT * FROM read_json(42)
    |                         ^~
*/
