-- line and block comments vanish
-- leading comment
SELECT /* inline */ a, -- trailing
  b /* multi
  line */
FROM t -- end
-- expect:
SELECT a, b
FROM t
