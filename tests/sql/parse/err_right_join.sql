-- RIGHT JOIN
SELECT * FROM a RIGHT JOIN b ON a.k = b.k
-- expect error:
error: RIGHT JOIN is not supported: swap the inputs and use LEFT JOIN at line 2, column 17
  2 | SELECT * FROM a RIGHT JOIN b ON a.k = b.k
    |                 ^~~~~
