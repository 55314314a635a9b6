-- a misspelt datepart
SELECT DATEADD(secnd, 1, ts) FROM t
-- expect error:
error: unknown time unit 'secnd'; did you mean 'second'? at line 2, column 16
  2 | SELECT DATEADD(secnd, 1, ts) FROM t
    |                ^~~~~
