/* Math functions: ABS, ROUND, FLOOR, CEILING, POWER, SQRT, LOG, EXP
 * (docs/sql.md "Math").
 *
 * bigint in, bigint out where the result is an integer (ABS, ROUND,
 * FLOOR, CEILING), with overflow as an error; the others compute in float.
 * A result that is not a finite number (SQRT(-1), LOG(0), POWER(10, 400))
 * is an error naming the function, as in T-SQL. */
#include <math.h>
#include <string.h>

#include "sql/expr_int.h"

static bool num(const eddy_sql_value *v, double *d)
{
    switch (v->type) {
    case EDDY_SQL_V_INT:
        *d = (double)v->i;
        return true;
    case EDDY_SQL_V_DOUBLE:
        *d = v->d;
        return true;
    case EDDY_SQL_V_BOOL:
        *d = v->b;
        return true;
    default:
        return false;
    }
}

static bool is_int(const eddy_sql_value *v)
{
    return v->type == EDDY_SQL_V_INT || v->type == EDDY_SQL_V_BOOL;
}

static int64_t ival(const eddy_sql_value *v)
{
    return v->type == EDDY_SQL_V_BOOL ? v->b : v->i;
}

static int set_double(const eddy_sql_x *x, eddy_sql_xctx *c, double d, eddy_sql_value *res)
{
    if (!isfinite(d)) {
        return eddy_sql_x_fail(x, c, "%s: the result is not a finite number",
                               eddy_sql_func_get(x->fn)->name);
    }
    res->type = EDDY_SQL_V_DOUBLE;
    res->d = d;
    return 0;
}

int eddy_sql_fn_abs(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                    eddy_sql_value *res)
{
    if (is_int(&a[0])) {
        int64_t v = ival(&a[0]);
        if (v == INT64_MIN) {
            return eddy_sql_x_fail(x, c, "bigint overflow: ABS(%lld) is out of range",
                                   (long long)v);
        }
        res->type = EDDY_SQL_V_INT;
        res->i = v < 0 ? -v : v;
        return 0;
    }
    double d;
    if (!num(&a[0], &d)) {
        return 0;
    }
    return set_double(x, c, fabs(d), res);
}

static const int64_t pow10_i[] = {1,
                                  10,
                                  100,
                                  1000,
                                  10000,
                                  100000,
                                  1000000,
                                  10000000,
                                  100000000,
                                  1000000000,
                                  10000000000,
                                  100000000000,
                                  1000000000000,
                                  10000000000000,
                                  100000000000000,
                                  1000000000000000,
                                  10000000000000000,
                                  100000000000000000,
                                  1000000000000000000};

int eddy_sql_fn_round(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                      eddy_sql_value *res)
{
    int64_t digits = 0, trunc_ = 0;
    if (x->nargs > 1 && !eddy_sql_arg_int(&a[1], &digits)) {
        return 0;
    }
    if (x->nargs > 2 && !eddy_sql_arg_int(&a[2], &trunc_)) {
        return 0;
    }
    if (is_int(&a[0])) {
        int64_t v = ival(&a[0]);
        res->type = EDDY_SQL_V_INT;
        if (digits >= 0) {
            res->i = v;
            return 0;
        }
        if (digits < -18) {
            res->i = 0;
            return 0;
        }
        int64_t p = pow10_i[-digits];
        int64_t q = v / p, rem = v % p;
        if (!trunc_ && (rem >= 0 ? rem : -rem) * 2 >= p) {
            q += v < 0 ? -1 : 1;
        }
        int64_t r;
        if (__builtin_mul_overflow(q, p, &r)) {
            return eddy_sql_x_fail(x, c, "bigint overflow: ROUND(%lld, %lld) is out of range",
                                   (long long)v, (long long)digits);
        }
        res->i = r;
        return 0;
    }
    double d;
    if (!num(&a[0], &d)) {
        return 0;
    }
    if (digits > 15) {
        return set_double(x, c, d, res);
    }
    if (digits < -308) {
        return set_double(x, c, 0.0, res);
    }
    double p = pow(10.0, (double)(digits < 0 ? -digits : digits));
    double scaled = digits >= 0 ? d * p : d / p;
    double r = trunc_ ? trunc(scaled) : round(scaled);
    return set_double(x, c, digits >= 0 ? r / p : r * p, res);
}

int eddy_sql_fn_floor(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                      eddy_sql_value *res)
{
    if (is_int(&a[0])) {
        res->type = EDDY_SQL_V_INT;
        res->i = ival(&a[0]);
        return 0;
    }
    double d;
    if (!num(&a[0], &d)) {
        return 0;
    }
    return set_double(x, c, floor(d), res);
}

int eddy_sql_fn_ceiling(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                        eddy_sql_value *res)
{
    if (is_int(&a[0])) {
        res->type = EDDY_SQL_V_INT;
        res->i = ival(&a[0]);
        return 0;
    }
    double d;
    if (!num(&a[0], &d)) {
        return 0;
    }
    return set_double(x, c, ceil(d), res);
}

int eddy_sql_fn_power(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                      eddy_sql_value *res)
{
    double b, e;
    if (!num(&a[0], &b) || !num(&a[1], &e)) {
        return 0;
    }
    return set_double(x, c, pow(b, e), res);
}

int eddy_sql_fn_sqrt(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                     eddy_sql_value *res)
{
    double d;
    if (!num(&a[0], &d)) {
        return 0;
    }
    if (d < 0) {
        return eddy_sql_x_fail(x, c, "SQRT of a negative number (%g)", d);
    }
    return set_double(x, c, sqrt(d), res);
}

int eddy_sql_fn_log(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                    eddy_sql_value *res)
{
    double d, base = 0;
    if (!num(&a[0], &d) || (x->nargs > 1 && !num(&a[1], &base))) {
        return 0;
    }
    if (d <= 0) {
        return eddy_sql_x_fail(x, c, "LOG of a number that is not positive (%g)", d);
    }
    if (x->nargs > 1) {
        if (base <= 0 || base == 1) {
            return eddy_sql_x_fail(x, c, "LOG base must be positive and not 1, found %g", base);
        }
        return set_double(x, c, log(d) / log(base), res);
    }
    return set_double(x, c, log(d), res);
}

int eddy_sql_fn_exp(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                    eddy_sql_value *res)
{
    double d;
    if (!num(&a[0], &d)) {
        return 0;
    }
    return set_double(x, c, exp(d), res);
}
