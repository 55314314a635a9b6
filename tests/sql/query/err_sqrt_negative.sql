-- SQRT of a negative number
SELECT SQRT(x) AS r FROM 'numbers.jsonl'
/* expect error:
error: SQRT of a negative number (-49) at line 2, column 8
  2 | SELECT SQRT(x) AS r FROM 'numbers.jsonl'
    |        ^~~~~~~
*/
