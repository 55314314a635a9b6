-- LEN takes one argument
SELECT LEN(a, b) FROM t
-- expect error:
error: LEN takes 1 argument, found 2 at line 2, column 8
  2 | SELECT LEN(a, b) FROM t
    |        ^~~~~~~~~
