-- missing comma in arguments
SELECT CONCAT(a b) FROM t
-- expect error:
error: missing ',' before 'b' at line 2, column 17
  2 | SELECT CONCAT(a b) FROM t
    |                 ^
