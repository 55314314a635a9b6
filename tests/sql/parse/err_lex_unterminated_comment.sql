-- a block comment without */
SELECT a /* never closed
FROM t
-- expect error:
error: unterminated comment: missing '*/' at line 2, column 10
  2 | SELECT a /* never closed
    |          ^~
