-- unknown function without a suggestion
SELECT FROBNICATE(x) FROM t
-- expect error:
error: unknown function 'FROBNICATE' at line 2, column 8
  2 | SELECT FROBNICATE(x) FROM t
    |        ^~~~~~~~~~
