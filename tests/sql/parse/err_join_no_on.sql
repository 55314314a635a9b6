-- JOIN without ON
SELECT * FROM a JOIN b WHERE a.k = 1
-- expect error:
error: expected ON and a join condition, found WHERE at line 2, column 24
  2 | SELECT * FROM a JOIN b WHERE a.k = 1
    |                        ^~~~~
