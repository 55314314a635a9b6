-- missing comma in ORDER BY
SELECT a FROM t ORDER BY a DESC b
-- expect error:
error: missing ',' before 'b' at line 2, column 33
  2 | SELECT a FROM t ORDER BY a DESC b
    |                                 ^
