-- bigint overflow is an error, not a wrap
SELECT 9223372036854775807 + i AS x FROM 'numbers.jsonl'
/* expect error:
error: bigint overflow: 9223372036854775807 + 1 is out of range at line 2, column 8
  2 | SELECT 9223372036854775807 + i AS x FROM 'numbers.jsonl'
    |        ^~~~~~~~~~~~~~~~~~~~~~~
*/
