-- only nvarchar(max)
SELECT CAST(a AS nvarchar(50)) FROM t
-- expect error:
error: only nvarchar(max) is supported, found number 50 at line 2, column 27
  2 | SELECT CAST(a AS nvarchar(50)) FROM t
    |                           ^~
