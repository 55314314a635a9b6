-- MIN of records
SELECT MIN(CAST(props AS record)) AS m FROM 'events.jsonl'
/* expect error:
error: MIN cannot order values of type record at line 2, column 12
  2 | SELECT MIN(CAST(props AS record)) AS m FROM 'events.jsonl'
    |            ^~~~~~~~~~~~~~~~~~~~~
*/
