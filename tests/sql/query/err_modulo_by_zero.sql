-- remainder of a division by zero
SELECT 5 % 0 AS x
/* expect error:
error: division by zero at line 2, column 8
  2 | SELECT 5 % 0 AS x
    |        ^~~~~
*/
