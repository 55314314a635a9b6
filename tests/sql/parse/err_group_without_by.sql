-- GROUP without BY
SELECT a FROM t GROUP a
-- expect error:
error: expected BY after GROUP, found 'a' at line 2, column 23
  2 | SELECT a FROM t GROUP a
    |                       ^
