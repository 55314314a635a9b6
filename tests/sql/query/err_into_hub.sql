-- INTO hub() cannot be written by a batch query yet
SELECT orderId INTO hub('out') FROM 'orders.jsonl'
/* expect error:
error: INTO hub(...) is not supported in batch queries yet: use --out FILE or INTO 'file' at line 2, column 21
  2 | SELECT orderId INTO hub('out') FROM 'orders.jsonl'
    |                     ^~~~~~~~~~
*/
