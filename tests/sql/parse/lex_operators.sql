-- every operator
SELECT a + b - c * d / e % f FROM t
WHERE a <> b AND a != c AND a <= b AND a >= c AND a < b AND a > c AND a = b
-- expect:
SELECT ((a + b) - (((c * d) / e) % f))
FROM t
WHERE (((((((a <> b) AND (a <> c)) AND (a <= b)) AND (a >= c)) AND (a < b)) AND (a > c)) AND (a = b))
