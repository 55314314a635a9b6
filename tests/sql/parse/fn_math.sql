-- math functions
SELECT ABS(x), ROUND(x, 2), ROUND(x), ROUND(x, 0, 1), FLOOR(x), CEILING(x), POWER(x, 2), SQRT(x), LOG(x), LOG(x, 2), EXP(x) FROM t
-- expect:
SELECT ABS(x), ROUND(x, 2), ROUND(x), ROUND(x, 0, 1), FLOOR(x), CEILING(x), POWER(x, 2), SQRT(x), LOG(x), LOG(x, 2), EXP(x)
FROM t
