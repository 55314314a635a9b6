-- IN without a list
SELECT a FROM t WHERE a IN 1, 2
-- expect error:
error: expected '(' and a list of values after IN, found number 1 at line 2, column 28
  2 | SELECT a FROM t WHERE a IN 1, 2
    |                            ^
