-- WITH after a statement
SELECT 1; WITH s AS (SELECT 2) SELECT * FROM s
-- expect error:
error: WITH must come before the first SELECT at line 2, column 11
  2 | SELECT 1; WITH s AS (SELECT 2) SELECT * FROM s
    |           ^~~~
