-- 2^63 without a minus
SELECT 9223372036854775808 FROM t
-- expect error:
error: integer 9223372036854775808 is out of range (the largest is 9223372036854775807) at line 2, column 8
  2 | SELECT 9223372036854775808 FROM t
    |        ^~~~~~~~~~~~~~~~~~~
