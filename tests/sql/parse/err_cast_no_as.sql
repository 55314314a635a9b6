-- CAST without AS
SELECT CAST(a, bigint) FROM t
-- expect error:
error: expected AS in CAST(value AS type), found ',' at line 2, column 14
  2 | SELECT CAST(a, bigint) FROM t
    |              ^
