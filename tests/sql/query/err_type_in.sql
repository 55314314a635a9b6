-- IN with incomparable values
SELECT 1 IN (1, 'a') AS x
/* expect error:
error: cannot compare bigint and nvarchar(max) at line 2, column 17
  2 | SELECT 1 IN (1, 'a') AS x
    |                 ^~~
*/
