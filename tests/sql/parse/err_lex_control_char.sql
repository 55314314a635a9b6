-- a control character is shown as ?
SELECT a, b FROM t
-- expect error:
error: unexpected character (byte 0x01) at line 2, column 10
  2 | SELECT a,? b FROM t
    |          ^
