-- DISTINCT in a scalar function
SELECT LEN(DISTINCT a) FROM t
-- expect error:
error: DISTINCT is not allowed in LEN(...) at line 2, column 12
  2 | SELECT LEN(DISTINCT a) FROM t
    |            ^~~~~~~~
