-- an empty IN list
SELECT a FROM t WHERE a IN ()
-- expect error:
error: expected an expression, found ')' at line 2, column 29
  2 | SELECT a FROM t WHERE a IN ()
    |                             ^
