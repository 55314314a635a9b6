-- garbage after a statement
SELECT 1; garbage
-- expect error:
error: expected SELECT or end of query, found 'garbage' at line 2, column 11
  2 | SELECT 1; garbage
    |           ^~~~~~~
