-- ORDER BY of a UNION names an output column
SELECT 1 AS a UNION ALL SELECT 2 AS a ORDER BY b
/* expect error:
error: ORDER BY of a UNION must name an output column: unknown column 'b'; did you mean 'a'? at line 2, column 48
  2 | SELECT 1 AS a UNION ALL SELECT 2 AS a ORDER BY b
    |                                                ^
*/
