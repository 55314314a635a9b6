-- FROM after WHERE
SELECT a WHERE a > 1 FROM t
-- expect error:
error: FROM must come before WHERE at line 2, column 22
  2 | SELECT a WHERE a > 1 FROM t
    |                      ^~~~
