-- ESCAPE must be one character
SELECT 'a' LIKE 'a' ESCAPE 'xy' AS m
/* expect error:
error: the ESCAPE of LIKE must be one character at line 2, column 28
  2 | SELECT 'a' LIKE 'a' ESCAPE 'xy' AS m
    |                            ^~~~
*/
