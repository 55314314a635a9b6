-- FULL JOIN
SELECT * FROM a FULL OUTER JOIN b ON a.k = b.k
-- expect error:
error: FULL JOIN is not supported: only INNER, LEFT and CROSS joins at line 2, column 17
  2 | SELECT * FROM a FULL OUTER JOIN b ON a.k = b.k
    |                 ^~~~
