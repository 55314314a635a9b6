-- double-quoted names, with "" for "
SELECT "x", "say ""hi""", "plain_name" FROM "t"
-- expect:
SELECT x, [say "hi"], plain_name
FROM t
