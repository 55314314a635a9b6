-- BETWEEN without AND
SELECT a FROM t WHERE a BETWEEN 1 OR 2
-- expect error:
error: expected AND in BETWEEN low AND high, found OR at line 2, column 35
  2 | SELECT a FROM t WHERE a BETWEEN 1 OR 2
    |                                   ^~
