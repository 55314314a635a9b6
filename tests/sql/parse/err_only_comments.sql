-- only comments and semicolons
-- nothing here
/* nor here */ ;
-- expect error:
error: empty query: expected SELECT or WITH at line 3, column 17
  3 | /* nor here */ ;
    |                 ^
