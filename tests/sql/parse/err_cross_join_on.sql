-- CROSS JOIN with ON
SELECT * FROM a CROSS JOIN b ON a.k = b.k
-- expect error:
error: CROSS JOIN takes no ON condition at line 2, column 30
  2 | SELECT * FROM a CROSS JOIN b ON a.k = b.k
    |                              ^~
