-- string functions
SELECT LEN(a), SUBSTRING(a, 1, 3), UPPER(a), LOWER(a), CONCAT(a, '-', b), CHARINDEX('x', a), CHARINDEX('x', a, 2), REPLACE(a, 'x', 'y'), TRIM(a), REGEXMATCH(a, '^dev') FROM t
-- expect:
SELECT LEN(a), SUBSTRING(a, 1, 3), UPPER(a), LOWER(a), CONCAT(a, '-', b), CHARINDEX('x', a), CHARINDEX('x', a, 2), REPLACE(a, 'x', 'y'), TRIM(a), REGEXMATCH(a, '^dev')
FROM t
