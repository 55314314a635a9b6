-- a misspelt named argument of read_csv
SELECT * FROM read_csv('devices.csv', hedaer => true)
/* expect error:
error: read_csv has no argument 'hedaer'; did you mean 'header'? at line 2, column 39
  2 | SELECT * FROM read_csv('devices.csv', hedaer => true)
    |                                       ^~~~~~
*/
