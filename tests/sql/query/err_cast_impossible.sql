-- a CAST that cannot succeed for any value
SELECT CAST(CAST('2026-01-01' AS datetime) AS bigint) AS x
/* expect error:
error: cannot convert datetime to bigint at line 2, column 8
  2 | SELECT CAST(CAST('2026-01-01' AS datetime) AS bigint) AS x
    |        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
*/
