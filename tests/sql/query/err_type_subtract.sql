-- subtracting from a datetime
SELECT CAST('2026-01-01' AS datetime) - 1 AS x
/* expect error:
error: cannot subtract datetime and bigint at line 2, column 8
  2 | SELECT CAST('2026-01-01' AS datetime) - 1 AS x
    |        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
*/
