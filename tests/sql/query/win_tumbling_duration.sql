-- the Duration()/Offset() form
SELECT COUNT(*) AS n, System.Timestamp() AS e FROM 'orders.jsonl' TIMESTAMP BY ts GROUP BY TumblingWindow(Duration(second, 30), Offset(second, 10))
/* expect:
{"n":2,"e":"2026-11-24T10:00:10.0000000Z"}
{"n":3,"e":"2026-11-24T10:00:40.0000000Z"}
{"n":1,"e":"2026-11-24T10:01:10.0000000Z"}
*/
