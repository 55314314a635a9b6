-- UNION members with different column counts
SELECT 1 AS a, 2 AS b UNION ALL SELECT 3 AS a
/* expect error:
error: each SELECT of a UNION must have the same number of columns: the first has 2, this one has 1 at line 2, column 33
  2 | SELECT 1 AS a, 2 AS b UNION ALL SELECT 3 AS a
    |                                 ^~~~~~~~~~~~~
*/
