-- a transposition counts as one edit
SELECT UPPRE(a) FROM t
-- expect error:
error: unknown function 'UPPRE'; did you mean 'UPPER'? at line 2, column 8
  2 | SELECT UPPRE(a) FROM t
    |        ^~~~~
