-- trailing words
SELECT a FROM t garbage more
-- expect error:
error: expected end of query, found 'more' at line 2, column 25
  2 | SELECT a FROM t garbage more
    |                         ^~~~
