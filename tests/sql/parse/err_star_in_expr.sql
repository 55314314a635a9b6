-- '*' as an operand
SELECT a + * FROM t
-- expect error:
error: '*' is only allowed as a whole select item (SELECT *) or in COUNT(*) at line 2, column 12
  2 | SELECT a + * FROM t
    |            ^
