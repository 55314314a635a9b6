-- [NOT] LIKE with ESCAPE
SELECT a FROM t WHERE name LIKE 'dev%' AND name NOT LIKE '%!_%' ESCAPE '!'
-- expect:
SELECT a
FROM t
WHERE ((name LIKE 'dev%') AND (name NOT LIKE '%!_%' ESCAPE '!'))
