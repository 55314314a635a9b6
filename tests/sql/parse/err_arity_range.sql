-- CHARINDEX takes 2 or 3
SELECT CHARINDEX(a) FROM t
-- expect error:
error: CHARINDEX takes 2 to 3 arguments, found 1 at line 2, column 8
  2 | SELECT CHARINDEX(a) FROM t
    |        ^~~~~~~~~~~~
