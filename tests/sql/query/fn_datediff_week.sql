-- DATEDIFF(week) counts Sundays crossed
SELECT DATEDIFF(week, '2026-11-21', '2026-11-22') AS a, DATEDIFF(week, '2026-11-22', '2026-11-28') AS b, DATEDIFF(quarter, '2026-03-31', '2026-04-01') AS c
/* expect:
{"a":1,"b":0,"c":1}
*/
