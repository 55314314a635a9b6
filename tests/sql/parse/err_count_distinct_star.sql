-- COUNT(DISTINCT *)
SELECT COUNT(DISTINCT *) FROM t
-- expect error:
error: COUNT(DISTINCT *) is not allowed: name the columns at line 2, column 23
  2 | SELECT COUNT(DISTINCT *) FROM t
    |                       ^
