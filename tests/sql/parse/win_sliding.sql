-- SlidingWindow
SELECT COUNT(*) FROM t GROUP BY SlidingWindow(second, 10) HAVING COUNT(*) > 3
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY SlidingWindow(second, 10)
HAVING (COUNT(*) > 3)
