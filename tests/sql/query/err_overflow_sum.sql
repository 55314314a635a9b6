-- SUM overflows
WITH a AS (SELECT 9223372036854775807 AS v UNION ALL SELECT 1 AS v) SELECT SUM(v) AS s FROM a
/* expect error:
error: bigint overflow in SUM at line 2, column 76
  2 | WITH a AS (SELECT 9223372036854775807 AS v UNION ALL SELECT 1 AS v) SELECT SUM(v) AS s FROM a
    |                                                                            ^~~~~~
*/
