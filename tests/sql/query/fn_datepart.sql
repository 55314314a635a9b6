-- DATEPART of every unit
WITH c AS (SELECT CAST('2026-11-24T20:31:45.123456Z' AS datetime) AS t)
SELECT DATEPART(year, t) AS y, DATEPART(quarter, t) AS q, DATEPART(month, t) AS mo, DATEPART(dayofyear, t) AS dy, DATEPART(day, t) AS d, DATEPART(week, t) AS wk, DATEPART(weekday, t) AS wd, DATEPART(hour, t) AS h, DATEPART(minute, t) AS mi, DATEPART(second, t) AS s, DATEPART(millisecond, t) AS ms, DATEPART(microsecond, t) AS mcs FROM c
/* expect:
{"y":2026,"q":4,"mo":11,"dy":328,"d":24,"wk":48,"wd":3,"h":20,"mi":31,"s":45,"ms":123,"mcs":123456}
*/
