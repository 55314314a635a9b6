-- missing comma between WITH steps
WITH a AS (SELECT 1) b AS (SELECT 2) SELECT * FROM b
-- expect error:
error: missing ',' before 'b' at line 2, column 22
  2 | WITH a AS (SELECT 1) b AS (SELECT 2) SELECT * FROM b
    |                      ^
