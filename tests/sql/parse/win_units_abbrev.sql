-- window units by abbreviation
SELECT 1 FROM t GROUP BY TumblingWindow(ss, 10);
SELECT 1 FROM t GROUP BY TumblingWindow(s, 10);
SELECT 1 FROM t GROUP BY TumblingWindow(mi, 1);
SELECT 1 FROM t GROUP BY TumblingWindow(n, 1);
SELECT 1 FROM t GROUP BY TumblingWindow(hh, 1);
SELECT 1 FROM t GROUP BY TumblingWindow(dd, 1);
SELECT 1 FROM t GROUP BY TumblingWindow(d, 7);
SELECT 1 FROM t GROUP BY TumblingWindow(ms, 100);
SELECT 1 FROM t GROUP BY TumblingWindow(mcs, 500)
-- expect:
SELECT 1
FROM t
GROUP BY TumblingWindow(second, 10);
SELECT 1
FROM t
GROUP BY TumblingWindow(second, 10);
SELECT 1
FROM t
GROUP BY TumblingWindow(minute, 1);
SELECT 1
FROM t
GROUP BY TumblingWindow(minute, 1);
SELECT 1
FROM t
GROUP BY TumblingWindow(hour, 1);
SELECT 1
FROM t
GROUP BY TumblingWindow(day, 1);
SELECT 1
FROM t
GROUP BY TumblingWindow(day, 7);
SELECT 1
FROM t
GROUP BY TumblingWindow(millisecond, 100);
SELECT 1
FROM t
GROUP BY TumblingWindow(microsecond, 500)
