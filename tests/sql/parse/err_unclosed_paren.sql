-- an unclosed parenthesis
SELECT (a + b FROM t
-- expect error:
error: expected ')', found FROM at line 2, column 15
  2 | SELECT (a + b FROM t
    |               ^~~~
