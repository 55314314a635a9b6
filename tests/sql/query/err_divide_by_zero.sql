-- division by zero
SELECT i / (k - k) AS x FROM 'numbers.jsonl'
/* expect error:
error: division by zero at line 2, column 8
  2 | SELECT i / (k - k) AS x FROM 'numbers.jsonl'
    |        ^~~~~~~~~~~
*/
