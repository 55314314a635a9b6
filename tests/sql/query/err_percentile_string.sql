-- PERCENTILE_CONT needs numbers
SELECT PERCENTILE_CONT(0.5) OVER (ORDER BY UPPER(customer)) AS p FROM 'orders.jsonl'
/* expect error:
error: PERCENTILE_CONT needs a number, found nvarchar(max) at line 2, column 44
  2 | SELECT PERCENTILE_CONT(0.5) OVER (ORDER BY UPPER(customer)) AS p FROM 'orders.jsonl'
    |                                            ^~~~~~~~~~~~~~~
*/
