-- t.* as a select item
SELECT t.*, u.a FROM t JOIN u ON t.id = u.id
-- expect:
SELECT t.*, u.a
FROM t
INNER JOIN u ON (t.id = u.id)
