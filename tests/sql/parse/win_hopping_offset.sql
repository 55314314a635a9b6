-- HoppingWindow with an offset
SELECT COUNT(*) FROM t GROUP BY Hopping(minute, 10, 5, 1)
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY HoppingWindow(minute, 10, 5, 1)
