-- a misspelt table source
SELECT * FROM lak('x')
-- expect error:
error: unknown table source 'lak'; did you mean 'lake'? at line 2, column 15
  2 | SELECT * FROM lak('x')
    |               ^~~
