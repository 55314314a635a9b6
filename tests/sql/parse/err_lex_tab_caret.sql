-- the caret line keeps tabs so it lines up
SELECT a,
	b,
		c d e
FROM t
-- expect error:
error: missing ',' before 'e' at line 4, column 7
  4 | 		c d e
    | 		    ^
