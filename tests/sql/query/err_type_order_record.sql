-- ORDER BY a record
SELECT props FROM 'events.jsonl' ORDER BY CAST('{}' AS record)
/* expect error:
error: cannot order by a record at line 2, column 43
  2 | SELECT props FROM 'events.jsonl' ORDER BY CAST('{}' AS record)
    |                                           ^~~~~~~~~~~~~~~~~~~~
*/
