-- literal kinds
SELECT NULL, TRUE, false, 'x', 1, 1.0, 1.25e10
-- expect:
SELECT NULL, TRUE, FALSE, 'x', 1, 1.0, 12500000000.0
