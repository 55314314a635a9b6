-- DATETIMEFROMPARTS of a date that does not exist
SELECT DATETIMEFROMPARTS(2026, 2, 30, 0, 0, 0, 0) AS t
/* expect error:
error: DATETIMEFROMPARTS: 2026-2-30 0:0:0.0 is not a valid datetime at line 2, column 8
  2 | SELECT DATETIMEFROMPARTS(2026, 2, 30, 0, 0, 0, 0) AS t
    |        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
*/
