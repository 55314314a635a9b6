-- an unknown CAST type
SELECT CAST(a AS int) FROM t
-- expect error:
error: unknown type 'int': use bigint, float, nvarchar(max), datetime, bit, record or array at line 2, column 18
  2 | SELECT CAST(a AS int) FROM t
    |                  ^~~
