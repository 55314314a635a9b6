-- unknown function with a suggestion
SELECT AVGG(temperature) FROM t
-- expect error:
error: unknown function 'AVGG'; did you mean 'AVG'? at line 2, column 8
  2 | SELECT AVGG(temperature) FROM t
    |        ^~~~
