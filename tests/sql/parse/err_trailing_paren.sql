-- a stray closing parenthesis
SELECT a
FROM lake('x')) WHERE a = 1
-- expect error:
error: expected end of query, found ')' at line 3, column 15
  3 | FROM lake('x')) WHERE a = 1
    |               ^
