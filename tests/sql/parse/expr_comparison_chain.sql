-- comparisons group left to right
SELECT a = b = c, a < b <> c
-- expect:
SELECT ((a = b) = c), ((a < b) <> c)
