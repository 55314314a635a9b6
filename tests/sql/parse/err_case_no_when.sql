-- CASE without WHEN
SELECT CASE a END FROM t
-- expect error:
error: expected WHEN in CASE, found END at line 2, column 15
  2 | SELECT CASE a END FROM t
    |               ^~~
