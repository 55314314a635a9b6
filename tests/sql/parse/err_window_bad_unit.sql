-- a misspelt window unit
SELECT 1 FROM t GROUP BY TumblingWindow(secnd, 10)
-- expect error:
error: unknown time unit 'secnd'; did you mean 'second'? at line 2, column 41
  2 | SELECT 1 FROM t GROUP BY TumblingWindow(secnd, 10)
    |                                         ^~~~~
