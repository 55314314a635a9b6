-- CASE without END
SELECT CASE WHEN a THEN 1 FROM t
-- expect error:
error: expected WHEN, ELSE or END in CASE, found FROM at line 2, column 27
  2 | SELECT CASE WHEN a THEN 1 FROM t
    |                           ^~~~
