-- ORDER BY before UNION
SELECT a FROM t ORDER BY a UNION SELECT a FROM u
-- expect error:
error: UNION must come before ORDER BY at line 2, column 28
  2 | SELECT a FROM t ORDER BY a UNION SELECT a FROM u
    |                            ^~~~~
