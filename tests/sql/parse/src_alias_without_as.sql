-- an alias without AS
SELECT i.a FROM input i WHERE i.a > 0
-- expect:
SELECT i.a
FROM input AS i
WHERE (i.a > 0)
