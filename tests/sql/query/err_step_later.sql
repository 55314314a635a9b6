-- a step reading a later step
WITH a AS (SELECT x FROM b), b AS (SELECT 1 AS x) SELECT x FROM a
/* expect error:
error: step 'b' is defined after this one: a step can only read the steps before it at line 2, column 26
  2 | WITH a AS (SELECT x FROM b), b AS (SELECT 1 AS x) SELECT x FROM a
    |                          ^
*/
