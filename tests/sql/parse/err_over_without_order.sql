-- OVER without ORDER BY
SELECT TopOne() OVER (PARTITION BY a) FROM t
-- expect error:
error: expected ORDER BY in OVER (...), found PARTITION at line 2, column 23
  2 | SELECT TopOne() OVER (PARTITION BY a) FROM t
    |                       ^~~~~~~~~
