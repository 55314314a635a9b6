-- WHEN of a searched CASE needs a condition
SELECT CASE WHEN 1 THEN 'a' END AS x
/* expect error:
error: WHEN needs a condition, found bigint at line 2, column 18
  2 | SELECT CASE WHEN 1 THEN 'a' END AS x
    |                  ^
*/
