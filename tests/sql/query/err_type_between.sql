-- BETWEEN with incomparable bounds
SELECT 'm' BETWEEN 1 AND 2 AS x
/* expect error:
error: cannot compare nvarchar(max) and bigint at line 2, column 8
  2 | SELECT 'm' BETWEEN 1 AND 2 AS x
    |        ^~~~~~~~~~~~~~~~~~~
*/
