-- DATEDIFF needs three
SELECT DATEDIFF(second, a) FROM t
-- expect error:
error: DATEDIFF takes 3 arguments, found 2 at line 2, column 8
  2 | SELECT DATEDIFF(second, a) FROM t
    |        ^~~~~~~~~~~~~~~~~~~
