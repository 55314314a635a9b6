-- TIMESTAMP BY after WHERE
SELECT a FROM t WHERE a = 1 TIMESTAMP BY ts
-- expect error:
error: TIMESTAMP BY must follow its input in FROM or JOIN at line 2, column 29
  2 | SELECT a FROM t WHERE a = 1 TIMESTAMP BY ts
    |                             ^~~~~~~~~
