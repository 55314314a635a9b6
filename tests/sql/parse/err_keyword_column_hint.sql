-- a reserved word after the select list
SELECT a, timestamp FROM t
-- expect error:
error: expected an expression, found TIMESTAMP (a reserved word: write [timestamp] for a name) at line 2, column 11
  2 | SELECT a, timestamp FROM t
    |           ^~~~~~~~~
