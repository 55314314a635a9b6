/* Scalar function calls: the dispatcher from a CALL node to the function's
 * row loop (func_string.c, func_math.c, func_date.c, func_record.c).
 *
 * A call's arguments are evaluated into vectors first (expr.c); here each
 * row's values are passed to the function, nulls propagate (a null
 * argument gives a null result, except in CONCAT), and when every argument
 * is a constant only one row is computed. A few hot cases have typed loops
 * of their own. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "sql/expr_int.h"
#include "sql/value.h"

bool eddy_sql_arg_time(const eddy_sql_value *v, int64_t *us)
{
    if (v->type == EDDY_SQL_V_TIME) {
        *us = v->i;
        return true;
    }
    if (v->type == EDDY_SQL_V_STRING) {
        return eddy_sql_time_parse(v->s.p, v->s.len, us);
    }
    return false;
}

bool eddy_sql_arg_int(const eddy_sql_value *v, int64_t *i)
{
    switch (v->type) {
    case EDDY_SQL_V_INT:
        *i = v->i;
        return true;
    case EDDY_SQL_V_BOOL:
        *i = v->b;
        return true;
    case EDDY_SQL_V_DOUBLE:
        if (!(v->d >= -9223372036854775808.0 && v->d < 9223372036854775808.0)) {
            return false;
        }
        *i = (int64_t)trunc(v->d);
        return true;
    default:
        return false;
    }
}

regex_t *eddy_sql_regex_compile(const eddy_sql_str *pat, char *msg, size_t msglen)
{
    char *z = malloc((size_t)pat->len + 1);
    regex_t *re = malloc(sizeof *re);
    if (!z || !re) {
        free(z);
        free(re);
        snprintf(msg, msglen, "out of memory");
        return NULL;
    }
    if (pat->len) {
        memcpy(z, pat->p, pat->len);
    }
    z[pat->len] = 0;
    if (memchr(pat->p, 0, pat->len)) {
        free(z);
        free(re);
        snprintf(msg, msglen, "invalid regular expression: it holds a NUL character");
        return NULL;
    }
    int rc = regcomp(re, z, REG_EXTENDED | REG_NOSUB);
    free(z);
    if (rc != 0) {
        char why[96];
        regerror(rc, re, why, sizeof why);
        free(re);
        snprintf(msg, msglen, "invalid regular expression: %s", why);
        return NULL;
    }
    return re;
}

static eddy_sql_rowfn rowfn(eddy_sql_func_id fn)
{
    switch (fn) {
    case EDDY_SQL_FN_LEN:
        return eddy_sql_fn_len;
    case EDDY_SQL_FN_SUBSTRING:
        return eddy_sql_fn_substring;
    case EDDY_SQL_FN_UPPER:
        return eddy_sql_fn_upper;
    case EDDY_SQL_FN_LOWER:
        return eddy_sql_fn_lower;
    case EDDY_SQL_FN_CONCAT:
        return eddy_sql_fn_concat;
    case EDDY_SQL_FN_CHARINDEX:
        return eddy_sql_fn_charindex;
    case EDDY_SQL_FN_REPLACE:
        return eddy_sql_fn_replace;
    case EDDY_SQL_FN_TRIM:
        return eddy_sql_fn_trim;
    case EDDY_SQL_FN_REGEXMATCH:
        return eddy_sql_fn_regexmatch;
    case EDDY_SQL_FN_ABS:
        return eddy_sql_fn_abs;
    case EDDY_SQL_FN_ROUND:
        return eddy_sql_fn_round;
    case EDDY_SQL_FN_FLOOR:
        return eddy_sql_fn_floor;
    case EDDY_SQL_FN_CEILING:
        return eddy_sql_fn_ceiling;
    case EDDY_SQL_FN_POWER:
        return eddy_sql_fn_power;
    case EDDY_SQL_FN_SQRT:
        return eddy_sql_fn_sqrt;
    case EDDY_SQL_FN_LOG:
        return eddy_sql_fn_log;
    case EDDY_SQL_FN_EXP:
        return eddy_sql_fn_exp;
    case EDDY_SQL_FN_DATEADD:
        return eddy_sql_fn_dateadd;
    case EDDY_SQL_FN_DATEDIFF:
        return eddy_sql_fn_datediff;
    case EDDY_SQL_FN_DATEPART:
        return eddy_sql_fn_datepart;
    case EDDY_SQL_FN_YEAR:
        return eddy_sql_fn_year;
    case EDDY_SQL_FN_MONTH:
        return eddy_sql_fn_month;
    case EDDY_SQL_FN_DAY:
        return eddy_sql_fn_day;
    case EDDY_SQL_FN_DATETIMEFROMPARTS:
        return eddy_sql_fn_datetimefromparts;
    case EDDY_SQL_FN_GETRECORDPROPERTYVALUE:
        return eddy_sql_fn_getrecordpropertyvalue;
    case EDDY_SQL_FN_GETARRAYELEMENT:
        return eddy_sql_fn_getarrayelement;
    case EDDY_SQL_FN_GETARRAYLENGTH:
        return eddy_sql_fn_getarraylength;
    default:
        return NULL;
    }
}

/* FLOOR/CEILING/ABS over a whole float vector: the typed loop. */
static int math_double(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_vec *a, uint32_t n,
                       eddy_sql_vec *out)
{
    uint32_t m = a->constant ? 1 : n;
    if (eddy_sql_vec_alloc(out, c->arena, EDDY_SQL_V_DOUBLE, m) != 0) {
        return eddy_sql_x_nomem(c);
    }
    out->n = n;
    out->constant = a->constant;
    if (a->valid) {
        memcpy(out->valid, a->valid, m);
    } else {
        out->valid = NULL;
    }
    const double *d = a->d;
    switch (x->fn) {
    case EDDY_SQL_FN_FLOOR:
        for (uint32_t r = 0; r < m; r++) {
            out->d[r] = floor(d[r]);
        }
        break;
    case EDDY_SQL_FN_CEILING:
        for (uint32_t r = 0; r < m; r++) {
            out->d[r] = ceil(d[r]);
        }
        break;
    default:
        for (uint32_t r = 0; r < m; r++) {
            out->d[r] = fabs(d[r]);
        }
        break;
    }
    return 0;
}

int eddy_sql_call_eval(const eddy_sql_x *x, eddy_sql_xctx *c, uint32_t n, eddy_sql_vec *args,
                       eddy_sql_vec *out)
{
    if ((x->fn == EDDY_SQL_FN_FLOOR || x->fn == EDDY_SQL_FN_CEILING || x->fn == EDDY_SQL_FN_ABS) &&
        args[0].type == EDDY_SQL_V_DOUBLE) {
        return math_double(x, c, &args[0], n, out);
    }
    if ((x->fn == EDDY_SQL_FN_FLOOR || x->fn == EDDY_SQL_FN_CEILING) &&
        args[0].type == EDDY_SQL_V_INT) {
        *out = args[0];
        return 0;
    }
    eddy_sql_rowfn f = rowfn(x->fn);
    if (!f) {
        return eddy_sql_x_fail(x, c, "internal error: %s cannot be evaluated here",
                               eddy_sql_func_get(x->fn) ? eddy_sql_func_get(x->fn)->name : "?");
    }
    bool k = true;
    for (uint32_t j = 0; j < x->nargs; j++) {
        if (!args[j].constant && args[j].type != EDDY_SQL_V_NULL) {
            k = false;
        }
    }
    bool nulls_in = x->fn == EDDY_SQL_FN_CONCAT;
    uint32_t m = k ? 1 : n;
    int rc = eddy_sql_vout_init(c, out, x->type, n, k);
    if (rc) {
        return rc;
    }
    eddy_sql_value vals[EDDY_SQL_ARGS_MANY + 1];
    if (x->nargs > EDDY_SQL_ARGS_MANY) {
        return eddy_sql_x_fail(x, c, "too many arguments");
    }
    for (uint32_t r = 0; r < m; r++) {
        bool isnull = false;
        for (uint32_t j = 0; j < x->nargs; j++) {
            vals[j] = eddy_sql_vec_get(&args[j], r);
            if (vals[j].type == EDDY_SQL_V_NULL) {
                isnull = true;
            }
        }
        if (isnull && !nulls_in) {
            continue;
        }
        eddy_sql_value res;
        memset(&res, 0, sizeof res);
        if ((rc = f(x, c, vals, &res))) {
            return rc;
        }
        eddy_sql_vout_put(out, r, &res);
    }
    return eddy_sql_vout_done(c, out);
}
