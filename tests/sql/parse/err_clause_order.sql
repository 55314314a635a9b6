-- WHERE after GROUP BY
SELECT a FROM t GROUP BY a WHERE a > 1
-- expect error:
error: WHERE must come before GROUP BY at line 2, column 28
  2 | SELECT a FROM t GROUP BY a WHERE a > 1
    |                            ^~~~~
