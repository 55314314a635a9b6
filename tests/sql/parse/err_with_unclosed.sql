-- a WITH step not closed
WITH s AS (SELECT a FROM t SELECT b FROM s
-- expect error:
error: expected ')' to close the WITH step, found SELECT at line 2, column 28
  2 | WITH s AS (SELECT a FROM t SELECT b FROM s
    |                            ^~~~~~
