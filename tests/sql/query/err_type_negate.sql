-- a string cannot be negated
SELECT -'abc' AS x
/* expect error:
error: cannot negate nvarchar(max) at line 2, column 8
  2 | SELECT -'abc' AS x
    |        ^~~~~~
*/
