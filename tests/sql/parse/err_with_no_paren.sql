-- a WITH step without parentheses
WITH s AS SELECT a FROM t SELECT * FROM s
-- expect error:
error: expected '(' and a SELECT after AS, found SELECT at line 2, column 11
  2 | WITH s AS SELECT a FROM t SELECT * FROM s
    |           ^~~~~~
