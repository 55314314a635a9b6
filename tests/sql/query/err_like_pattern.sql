-- a LIKE pattern with an unclosed [
SELECT 'a' LIKE '[abc' AS m
/* expect error:
error: LIKE pattern has an unclosed '[' at line 2, column 17
  2 | SELECT 'a' LIKE '[abc' AS m
    |                 ^~~~~~
*/
