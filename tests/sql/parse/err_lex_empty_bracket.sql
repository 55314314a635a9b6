-- an empty quoted name
SELECT [] FROM t
-- expect error:
error: empty quoted name at line 2, column 8
  2 | SELECT [] FROM t
    |        ^~
