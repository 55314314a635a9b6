-- HoppingWindow with an offset
SELECT customer, COUNT(*) AS n, System.Timestamp() AS e FROM 'orders.jsonl' TIMESTAMP BY ts GROUP BY customer, HoppingWindow(second, 30, 15, 5)
/* expect:
{"customer":"c1","n":1,"e":"2026-11-24T10:00:05.0000000Z"}
{"customer":"c2","n":1,"e":"2026-11-24T10:00:05.0000000Z"}
{"customer":"c1","n":2,"e":"2026-11-24T10:00:20.0000000Z"}
{"customer":"c2","n":1,"e":"2026-11-24T10:00:20.0000000Z"}
{"customer":"c3","n":1,"e":"2026-11-24T10:00:20.0000000Z"}
{"customer":"c1","n":1,"e":"2026-11-24T10:00:35.0000000Z"}
{"customer":"c3","n":1,"e":"2026-11-24T10:00:35.0000000Z"}
{"customer":"c2","n":1,"e":"2026-11-24T10:00:35.0000000Z"}
{"customer":"c2","n":1,"e":"2026-11-24T10:00:50.0000000Z"}
{"customer":"c4","n":1,"e":"2026-11-24T10:00:50.0000000Z"}
{"customer":"c4","n":1,"e":"2026-11-24T10:01:05.0000000Z"}
*/
