-- read_csv after INTO
SELECT * INTO read_csv('x.csv') FROM t
-- expect error:
error: read_csv() cannot follow INTO: write to an output name or hub('name') at line 2, column 15
  2 | SELECT * INTO read_csv('x.csv') FROM t
    |               ^~~~~~~~
