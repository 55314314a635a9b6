-- a scalar function in FROM
SELECT * FROM LEN('x')
-- expect error:
error: function 'LEN' is not a table source: use lake(), read_json(), read_csv(), read_avro() or hub() at line 2, column 15
  2 | SELECT * FROM LEN('x')
    |               ^~~
