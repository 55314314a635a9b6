-- a datepart is a word, not a string
SELECT DATEADD('second', 1, ts) FROM t
-- expect error:
error: expected a time unit such as second, minute or day, found string 'second' at line 2, column 16
  2 | SELECT DATEADD('second', 1, ts) FROM t
    |                ^~~~~~~~
