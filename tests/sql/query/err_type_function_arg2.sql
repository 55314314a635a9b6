-- a datetime function given a number
SELECT DATEADD(day, 1, 20261124) AS t
/* expect error:
error: argument 2 of DATEADD must be datetime, found bigint at line 2, column 24
  2 | SELECT DATEADD(day, 1, 20261124) AS t
    |                        ^~~~~~~~
*/
