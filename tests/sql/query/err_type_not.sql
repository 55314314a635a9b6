-- NOT needs a condition
SELECT NOT 'x' AS b
/* expect error:
error: NOT needs a condition, found nvarchar(max) at line 2, column 8
  2 | SELECT NOT 'x' AS b
    |        ^~~~~~~
*/
