-- CRLF line ends
SELECT a,
  b
FROM t
-- expect:
SELECT a, b
FROM t
