-- a string without its closing quote
SELECT 'abc FROM t
-- expect error:
error: unterminated string: missing closing quote at line 2, column 8
  2 | SELECT 'abc FROM t
    |        ^
