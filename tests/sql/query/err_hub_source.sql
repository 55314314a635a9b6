-- hub() cannot be read by a batch query yet
SELECT * FROM hub('telemetry')
/* expect error:
error: hub(...) is not supported in batch queries yet: query the lake with lake('...') instead at line 2, column 15
  2 | SELECT * FROM hub('telemetry')
    |               ^~~~~~~~~~~~~~~~
*/
