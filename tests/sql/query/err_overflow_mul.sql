-- bigint overflow in multiplication
SELECT 4611686018427387904 * 2 AS x
/* expect error:
error: bigint overflow: 4611686018427387904 * 2 is out of range at line 2, column 8
  2 | SELECT 4611686018427387904 * 2 AS x
    |        ^~~~~~~~~~~~~~~~~~~~~~~
*/
