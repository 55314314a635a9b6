-- named arguments outside table sources
SELECT LEN(x => 1) FROM t
-- expect error:
error: named arguments (name => value) are only allowed in table sources such as read_csv('f.csv', header => true) at line 2, column 12
  2 | SELECT LEN(x => 1) FROM t
    |            ^
