-- an unknown datepart far from all
SELECT DATEDIFF(fortnight, a, b) FROM t
-- expect error:
error: unknown time unit 'fortnight' at line 2, column 17
  2 | SELECT DATEDIFF(fortnight, a, b) FROM t
    |                 ^~~~~~~~~
