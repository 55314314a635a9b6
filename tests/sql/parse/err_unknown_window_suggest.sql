-- a misspelt window
SELECT COUNT(*) FROM t GROUP BY TumblinWindow(second, 10)
-- expect error:
error: unknown function 'TumblinWindow'; did you mean 'TumblingWindow'? at line 2, column 33
  2 | SELECT COUNT(*) FROM t GROUP BY TumblinWindow(second, 10)
    |                                 ^~~~~~~~~~~~~
