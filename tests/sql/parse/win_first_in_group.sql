-- the window may come first in GROUP BY
SELECT k, COUNT(*) FROM t GROUP BY TumblingWindow(hour, 1), k
-- expect:
SELECT k, COUNT(*)
FROM t
GROUP BY TumblingWindow(hour, 1), k
