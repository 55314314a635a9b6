-- TopOne takes none
SELECT TopOne(x) OVER (ORDER BY y) FROM t
-- expect error:
error: TopOne takes no arguments, found 1 at line 2, column 8
  2 | SELECT TopOne(x) OVER (ORDER BY y) FROM t
    |        ^~~~~~~~~
