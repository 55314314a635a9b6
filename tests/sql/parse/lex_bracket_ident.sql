-- bracketed names, with ]] for ]
SELECT [My Field], [a]]b], [select] FROM [input one]
-- expect:
SELECT [My Field], [a]]b], [select]
FROM [input one]
