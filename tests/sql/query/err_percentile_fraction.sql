-- a percentile's fraction must be a constant from 0 to 1
SELECT PERCENTILE_CONT(1.5) OVER (ORDER BY amount) AS p FROM 'orders.jsonl'
/* expect error:
error: the fraction of PERCENTILE_CONT must be a constant from 0 to 1 at line 2, column 24
  2 | SELECT PERCENTILE_CONT(1.5) OVER (ORDER BY amount) AS p FROM 'orders.jsonl'
    |                        ^~~
*/
