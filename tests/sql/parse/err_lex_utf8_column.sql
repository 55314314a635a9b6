-- columns count characters, not bytes
SELECT 'é', ü # FROM t
-- expect error:
error: unexpected character '#' at line 2, column 15
  2 | SELECT 'é', ü # FROM t
    |               ^
