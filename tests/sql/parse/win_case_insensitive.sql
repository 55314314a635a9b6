-- window names and units in any case
SELECT COUNT(*) FROM t GROUP BY tumblingwindow(SECOND, 10)
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY TumblingWindow(second, 10)
