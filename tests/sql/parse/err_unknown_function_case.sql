-- suggestions ignore case
SELECT Substrin(a, 1, 2) FROM t
-- expect error:
error: unknown function 'Substrin'; did you mean 'SUBSTRING'? at line 2, column 8
  2 | SELECT Substrin(a, 1, 2) FROM t
    |        ^~~~~~~~
