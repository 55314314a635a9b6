-- JOIN with no FROM
SELECT a JOIN b ON x
-- expect error:
error: JOIN needs a FROM before it at line 2, column 10
  2 | SELECT a JOIN b ON x
    |          ^~~~
