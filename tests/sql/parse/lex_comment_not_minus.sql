-- a--5 is a followed by a comment
SELECT a--5
, b - -5, c - (-5)
FROM t
-- expect:
SELECT a, (b - -5), (c - -5)
FROM t
