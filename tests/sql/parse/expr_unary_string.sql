-- a sign on a string stays (a type error later)
SELECT -'x', +'y'
-- expect:
SELECT (-'x'), (+'y')
