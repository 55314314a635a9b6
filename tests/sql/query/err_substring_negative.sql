-- SUBSTRING with a negative length
SELECT SUBSTRING('abc', 1, -1) AS s
/* expect error:
error: SUBSTRING length must not be negative, found -1 at line 2, column 8
  2 | SELECT SUBSTRING('abc', 1, -1) AS s
    |        ^~~~~~~~~~~~~~~~~~~~~~~
*/
