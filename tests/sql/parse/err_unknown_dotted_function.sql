-- a dotted name that is no function
SELECT System.Timestmp() FROM t
-- expect error:
error: unknown function 'System.Timestmp'; did you mean 'System.Timestamp'? at line 2, column 8
  2 | SELECT System.Timestmp() FROM t
    |        ^~~~~~~~~~~~~~~
