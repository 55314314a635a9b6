-- a misspelt CAST type
SELECT CAST(a AS bigin) FROM t
-- expect error:
error: unknown type 'bigin'; did you mean 'bigint'? at line 2, column 18
  2 | SELECT CAST(a AS bigin) FROM t
    |                  ^~~~~
