-- a CAST of a literal that does not convert
SELECT CAST('abc' AS datetime) AS t
/* expect error:
error: cannot convert nvarchar(max) "abc" to datetime at line 2, column 8
  2 | SELECT CAST('abc' AS datetime) AS t
    |        ^~~~~~~~~~~~~~~~~~~~~~~
*/
