-- UNION in a streaming statement
SELECT * INTO out FROM a UNION SELECT * FROM b
-- expect:
SELECT *
INTO out
FROM a
UNION
SELECT *
FROM b
