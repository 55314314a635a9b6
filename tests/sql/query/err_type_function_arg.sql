-- a function argument of the wrong type
SELECT LEN(42) AS n
/* expect error:
error: argument 1 of LEN must be nvarchar(max), found bigint at line 2, column 12
  2 | SELECT LEN(42) AS n
    |            ^~
*/
