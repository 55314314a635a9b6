-- AS, implicit and quoted aliases
SELECT a AS x, b y, c AS [my col], d "q", e AS [from] FROM t
-- expect:
SELECT a AS x, b AS y, c AS [my col], d AS q, e AS [from]
FROM t
