-- CONCAT takes at least 2
SELECT CONCAT(a) FROM t
-- expect error:
error: CONCAT takes at least 2 arguments, found 1 at line 2, column 8
  2 | SELECT CONCAT(a) FROM t
    |        ^~~~~~~~~
