-- lake takes one positional argument
SELECT * FROM lake('a', 'b')
-- expect error:
error: lake takes 1 positional argument, found 2 at line 2, column 15
  2 | SELECT * FROM lake('a', 'b')
    |               ^~~~~~~~~~~~~~
