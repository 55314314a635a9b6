-- '*' with an alias
SELECT * AS x FROM t
-- expect error:
error: '*' cannot have an alias at line 2, column 13
  2 | SELECT * AS x FROM t
    |             ^
