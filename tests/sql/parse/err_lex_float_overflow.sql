-- a float past the double range
SELECT 1e999 FROM t
-- expect error:
error: number 1e999 is out of range at line 2, column 8
  2 | SELECT 1e999 FROM t
    |        ^~~~~
