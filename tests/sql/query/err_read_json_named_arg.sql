-- read_json takes no named arguments
SELECT * FROM read_json('orders.jsonl', x => 1)
/* expect error:
error: read_json takes no named arguments at line 2, column 41
  2 | SELECT * FROM read_json('orders.jsonl', x => 1)
    |                                         ^
*/
