-- after a dot any word is a name
SELECT t.select, t.[from], t.Timestamp FROM t
-- expect:
SELECT t.[select], t.[from], t.[Timestamp]
FROM t
