-- SELECT * needs a FROM
SELECT *
/* expect error:
error: SELECT * needs a FROM at line 2, column 8
  2 | SELECT *
    |        ^
*/
