-- an exponent without digits
SELECT 1e FROM t
-- expect error:
error: malformed number '1e' at line 2, column 8
  2 | SELECT 1e FROM t
    |        ^~
