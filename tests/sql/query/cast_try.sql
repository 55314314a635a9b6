-- TRY_CAST gives null where CAST would fail
SELECT id, TRY_CAST(v AS bigint) AS b, TRY_CAST(v AS float) AS f, TRY_CAST(v AS datetime) AS t FROM 'mixed.jsonl'
/* expect:
{"id":1,"b":1,"f":1.0,"t":null}
{"id":2,"b":2,"f":2.5,"t":null}
{"id":3,"b":null,"f":null,"t":null}
{"id":4,"b":null,"f":null,"t":null}
{"id":5,"b":null,"f":null,"t":null}
{"id":6,"b":1,"f":1.0,"t":null}
{"id":7,"b":null,"f":null,"t":null}
{"id":8,"b":null,"f":null,"t":null}
{"id":9,"b":null,"f":null,"t":"2026-01-01T00:00:00.0000000Z"}
{"id":10,"b":-4,"f":-4.0,"t":null}
*/
