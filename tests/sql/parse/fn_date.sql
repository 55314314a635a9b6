-- date functions
SELECT DATEADD(second, 5, ts), DATEDIFF(millisecond, a, b), DATEPART(hour, ts), YEAR(ts), MONTH(ts), DAY(ts), DATETIMEFROMPARTS(2024, 1, 2, 3, 4, 5, 6) FROM t
-- expect:
SELECT DATEADD(second, 5, ts), DATEDIFF(millisecond, a, b), DATEPART(hour, ts), YEAR(ts), MONTH(ts), DAY(ts), DATETIMEFROMPARTS(2024, 1, 2, 3, 4, 5, 6)
FROM t
