-- a character that is no token
SELECT a # b FROM t
-- expect error:
error: unexpected character '#' at line 2, column 10
  2 | SELECT a # b FROM t
    |          ^
