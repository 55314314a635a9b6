-- a dotted input name
SELECT a FROM db.events
-- expect error:
error: input names have one part: write [a.b] for a name with a dot at line 2, column 17
  2 | SELECT a FROM db.events
    |                 ^
