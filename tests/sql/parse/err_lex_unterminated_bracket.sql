-- a bracketed name without ]
SELECT [abc FROM t
-- expect error:
error: unterminated quoted name: missing ']' at line 2, column 8
  2 | SELECT [abc FROM t
    |        ^
