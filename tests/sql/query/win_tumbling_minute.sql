-- a one-minute window holds everything
SELECT site, AVG(temperature) AS t, System.Timestamp() AS e FROM 'events.jsonl' TIMESTAMP BY ts GROUP BY site, TumblingWindow(minute, 1)
/* expect:
{"site":"north","t":23.8125,"e":"2026-11-24T20:01:00.0000000Z"}
{"site":"south","t":19.3,"e":"2026-11-24T20:01:00.0000000Z"}
{"site":"east","t":30.166666666666668,"e":"2026-11-24T20:01:00.0000000Z"}
{"site":"west","t":15.75,"e":"2026-11-24T20:01:00.0000000Z"}
*/
