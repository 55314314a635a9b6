-- a step name given twice
WITH a AS (SELECT 1 AS x), A AS (SELECT 2 AS x) SELECT x FROM a
/* expect error:
error: step 'A' is defined twice at line 2, column 28
  2 | WITH a AS (SELECT 1 AS x), A AS (SELECT 2 AS x) SELECT x FROM a
    |                            ^
*/
