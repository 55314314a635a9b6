-- TIMESTAMP BY twice
SELECT a FROM t TIMESTAMP BY ts TIMESTAMP BY ts2
-- expect error:
error: TIMESTAMP BY given twice for one input at line 2, column 33
  2 | SELECT a FROM t TIMESTAMP BY ts TIMESTAMP BY ts2
    |                                 ^~~~~~~~~
