-- '!' alone is not NOT
SELECT a FROM t WHERE ! a
-- expect error:
error: unexpected character '!' (use NOT, or <> for not equal) at line 2, column 23
  2 | SELECT a FROM t WHERE ! a
    |                       ^
