-- function names are case-insensitive and print canonically
SELECT len(a), Len(b), sUbStRiNg(c, 1, 2), getarraylength(d), topone() OVER (ORDER BY e) FROM t
-- expect:
SELECT LEN(a), LEN(b), SUBSTRING(c, 1, 2), GetArrayLength(d), TopOne() OVER (ORDER BY e ASC)
FROM t
