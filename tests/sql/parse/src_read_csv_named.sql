-- read_csv with named arguments
SELECT * FROM read_csv('x.csv', header => true, delim => ';')
-- expect:
SELECT *
FROM read_csv('x.csv', header => TRUE, delim => ';')
