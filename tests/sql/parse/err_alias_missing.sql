-- AS followed by no name
SELECT a AS FROM t
-- expect error:
error: expected an alias after AS, found FROM at line 2, column 13
  2 | SELECT a AS FROM t
    |             ^~~~
