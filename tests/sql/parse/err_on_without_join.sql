-- ON with no JOIN
SELECT a FROM t ON a = 1
-- expect error:
error: ON must follow a JOIN at line 2, column 17
  2 | SELECT a FROM t ON a = 1
    |                 ^~
