-- rows without an event time fall in no window
SELECT COUNT(*) AS n FROM 'mixed.jsonl' TIMESTAMP BY TRY_CAST(v AS datetime) GROUP BY TumblingWindow(day, 1)
/* expect:
{"n":1}
*/
