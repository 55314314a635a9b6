-- GROUP BY System.Timestamp() (snapshot window)
SELECT COUNT(*) FROM t GROUP BY System.Timestamp()
-- expect:
SELECT COUNT(*)
FROM t
GROUP BY System.Timestamp()
