-- IS followed by no NULL
SELECT a FROM t WHERE a IS 5
-- expect error:
error: expected NULL or NOT NULL after IS, found number 5 at line 2, column 28
  2 | SELECT a FROM t WHERE a IS 5
    |                            ^
