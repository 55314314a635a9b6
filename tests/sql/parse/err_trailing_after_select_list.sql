-- junk after the select list
SELECT a, b )
-- expect error:
error: expected FROM or end of query, found ')' at line 2, column 13
  2 | SELECT a, b )
    |             ^
