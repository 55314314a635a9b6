-- parentheses override precedence
SELECT (1 + 2) * 3, ((a))
-- expect:
SELECT ((1 + 2) * 3), a
