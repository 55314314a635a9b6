-- * / % bind tighter than + -
SELECT 1 + 2 * 3 - 4 / 2 % 3
-- expect:
SELECT ((1 + (2 * 3)) - ((4 / 2) % 3))
