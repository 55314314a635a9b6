-- hub() with a named argument
SELECT * FROM hub('t', group => 'g1')
-- expect:
SELECT *
FROM hub('t', group => 'g1')
