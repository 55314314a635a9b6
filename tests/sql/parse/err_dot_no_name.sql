-- a dot followed by no name
SELECT a. FROM t
-- expect error:
error: expected a name after '.', found FROM at line 2, column 11
  2 | SELECT a. FROM t
    |           ^~~~
