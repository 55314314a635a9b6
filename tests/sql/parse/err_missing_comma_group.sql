-- missing comma in GROUP BY
SELECT a FROM t GROUP BY a b
-- expect error:
error: missing ',' before 'b' at line 2, column 28
  2 | SELECT a FROM t GROUP BY a b
    |                            ^
