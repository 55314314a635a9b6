-- a table source in an expression
SELECT lake('x') FROM t
-- expect error:
error: lake(...) is a table source: use it in FROM or JOIN at line 2, column 8
  2 | SELECT lake('x') FROM t
    |        ^~~~
