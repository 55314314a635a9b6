-- adding a string and a number
SELECT 'a' + 1 AS x
/* expect error:
error: cannot add nvarchar(max) and bigint at line 2, column 8
  2 | SELECT 'a' + 1 AS x
    |        ^~~~~~~
*/
