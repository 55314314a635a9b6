-- an integer past 2^64
SELECT a
FROM t
WHERE id = 123456789012345678901234567890
-- expect error:
error: integer 123456789012345678901234567890 is out of range (the largest is 9223372036854775807) at line 4, column 12
  4 | WHERE id = 123456789012345678901234567890
    |            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
