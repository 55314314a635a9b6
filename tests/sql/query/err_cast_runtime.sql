-- a CAST of a value that does not convert fails the query
SELECT CAST(s AS bigint) AS n FROM 'strings.jsonl'
/* expect error:
error: cannot convert nvarchar(max) "hello world" to bigint at line 2, column 8
  2 | SELECT CAST(s AS bigint) AS n FROM 'strings.jsonl'
    |        ^~~~~~~~~~~~~~~~~
*/
