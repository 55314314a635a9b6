-- WHERE twice
SELECT a FROM t WHERE a > 1 WHERE b < 2
-- expect error:
error: WHERE given twice at line 2, column 29
  2 | SELECT a FROM t WHERE a > 1 WHERE b < 2
    |                             ^~~~~
