-- Collect() forms
SELECT Collect() AS all_events, Collect(a) AS a_list, Collect(*) AS star FROM t GROUP BY TumblingWindow(second, 5)
-- expect:
SELECT Collect() AS all_events, Collect(a) AS a_list, Collect(*) AS star
FROM t
GROUP BY TumblingWindow(second, 5)
