/* Vectorized evaluation of bound expressions (see expr.h).
 *
 * eval() dispatches on the node kind; operators look at the run-time
 * vector types of their evaluated arguments and take a typed loop when
 * they can (both INT, both DOUBLE, both STRING, ...) or the generic
 * row-at-a-time path over eddy_sql_value otherwise. When both arguments
 * are constant vectors only one row is computed and the result is a
 * constant vector too, which is how the binder folds constants.
 *
 * AND, OR and CASE evaluate their later arguments only on the rows that
 * still need them (the rows are gathered into a smaller chunk), so
 * `x <> 0 AND 10 / x > 1` and `CASE WHEN x = 0 THEN 0 ELSE 10 / x END`
 * never divide by zero. */
#include "sql/expr.h"

#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "sql/expr_int.h"
#include "sql/json.h"
#include "sql/value.h"

int eddy_sql_x_fail(const eddy_sql_x *x, eddy_sql_xctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    eddy_sql_error_setv(c->err, EDDY_ERR_INVALID_ARG, c->text, c->textlen, x->span.off, x->span.len,
                        fmt, ap);
    va_end(ap);
    return EDDY_ERR_INVALID_ARG;
}

int eddy_sql_x_nomem(eddy_sql_xctx *c)
{
    eddy_sql_error_set(c->err, EDDY_ERR_NOMEM, c->text, c->textlen, 0, 0, "out of memory");
    return EDDY_ERR_NOMEM;
}

eddy_sql_vtype eddy_sql_type_vtype(eddy_sql_type t)
{
    switch (t) {
    case EDDY_SQL_TYPE_BIGINT:
        return EDDY_SQL_V_INT;
    case EDDY_SQL_TYPE_FLOAT:
        return EDDY_SQL_V_DOUBLE;
    case EDDY_SQL_TYPE_NVARCHAR:
        return EDDY_SQL_V_STRING;
    case EDDY_SQL_TYPE_DATETIME:
        return EDDY_SQL_V_TIME;
    case EDDY_SQL_TYPE_BIT:
        return EDDY_SQL_V_BOOL;
    case EDDY_SQL_TYPE_RECORD:
        return EDDY_SQL_V_RECORD;
    case EDDY_SQL_TYPE_ARRAY:
        return EDDY_SQL_V_ARRAY;
    }
    return EDDY_SQL_V_ANY;
}

/* ---- vector helpers ---------------------------------------------------- */

static void null_vec(eddy_sql_vec *out, uint32_t n)
{
    memset(out, 0, sizeof *out);
    out->type = EDDY_SQL_V_NULL;
    out->n = n;
}

/* A result vector of type t for n rows, or one row when constant. */
static int vnew(eddy_sql_xctx *c, eddy_sql_vec *out, eddy_sql_vtype t, uint32_t n, bool constant)
{
    if (eddy_sql_vec_alloc(out, c->arena, t, constant ? 1 : n) != 0) {
        return eddy_sql_x_nomem(c);
    }
    out->n = n;
    out->constant = constant;
    return 0;
}

static inline bool vvalid(const eddy_sql_vec *v, uint32_t r)
{
    return eddy_sql_vec_valid(v, r);
}

/* out->valid = a->valid AND b->valid over m rows (NULL when both are
 * all-valid). */
static int valid2(eddy_sql_xctx *c, eddy_sql_vec *out, const eddy_sql_vec *a, const eddy_sql_vec *b,
                  uint32_t m)
{
    if (!a->valid && (!b || !b->valid)) {
        out->valid = NULL;
        return 0;
    }
    uint8_t *v = eddy_arena_alloc(c->arena, m ? m : 1);
    if (!v) {
        return eddy_sql_x_nomem(c);
    }
    uint32_t sa = a->constant ? 0 : 1, sb = b && !b->constant ? 1 : 0;
    for (uint32_t r = 0; r < m; r++) {
        uint8_t x = a->valid ? a->valid[r * sa] : 1;
        if (b && b->valid) {
            x &= b->valid[r * sb];
        }
        v[r] = x;
    }
    out->valid = v;
    return 0;
}

/* Converts a BOOL vector to INT (for arithmetic on bits). */
static int to_int(eddy_sql_xctx *c, eddy_sql_vec *v)
{
    if (v->type != EDDY_SQL_V_BOOL) {
        return 0;
    }
    uint32_t m = v->constant ? 1 : v->n;
    int64_t *i = eddy_arena_alloc(c->arena, sizeof(int64_t) * (m ? m : 1));
    if (!i) {
        return eddy_sql_x_nomem(c);
    }
    for (uint32_t r = 0; r < m; r++) {
        i[r] = v->b[r];
    }
    v->i = i;
    v->type = EDDY_SQL_V_INT;
    return 0;
}

/* Converts an INT or BOOL vector to DOUBLE. */
static int to_double(eddy_sql_xctx *c, eddy_sql_vec *v)
{
    if (v->type == EDDY_SQL_V_DOUBLE) {
        return 0;
    }
    uint32_t m = v->constant ? 1 : v->n;
    double *d = eddy_arena_alloc(c->arena, sizeof(double) * (m ? m : 1));
    if (!d) {
        return eddy_sql_x_nomem(c);
    }
    if (v->type == EDDY_SQL_V_BOOL) {
        for (uint32_t r = 0; r < m; r++) {
            d[r] = v->b[r];
        }
    } else {
        for (uint32_t r = 0; r < m; r++) {
            d[r] = (double)v->i[r];
        }
    }
    v->d = d;
    v->type = EDDY_SQL_V_DOUBLE;
    return 0;
}

/* An output vector filled row by row with values of varying types: typed
 * when the static type is known, else ANY (narrowed at the end). Every row
 * starts null. */
int eddy_sql_vout_init(eddy_sql_xctx *c, eddy_sql_vec *out, eddy_sql_vtype t, uint32_t n,
                       bool constant)
{
    if (t == EDDY_SQL_V_NULL) {
        t = EDDY_SQL_V_ANY;
    }
    int rc = vnew(c, out, t, n, constant);
    if (rc) {
        return rc;
    }
    uint32_t m = constant ? 1 : n;
    memset(out->valid, 0, m);
    if (t == EDDY_SQL_V_ANY) {
        memset(out->any, 0, sizeof(eddy_sql_value) * m);
    } else if (t == EDDY_SQL_V_STRING || t == EDDY_SQL_V_RECORD || t == EDDY_SQL_V_ARRAY) {
        memset(out->s, 0, sizeof(eddy_sql_str) * m);
    }
    return 0;
}

void eddy_sql_vout_put(eddy_sql_vec *out, uint32_t r, const eddy_sql_value *val)
{
    if (val->type == EDDY_SQL_V_NULL) {
        out->valid[r] = 0;
        return;
    }
    if (out->type == EDDY_SQL_V_ANY || out->type == val->type) {
        eddy_sql_vec_set(out, r, val);
        return;
    }
    eddy_sql_value v = *val;
    if (out->type == EDDY_SQL_V_DOUBLE && (v.type == EDDY_SQL_V_INT || v.type == EDDY_SQL_V_BOOL)) {
        double d = v.type == EDDY_SQL_V_INT ? (double)v.i : v.b;
        v.type = EDDY_SQL_V_DOUBLE;
        v.d = d;
        eddy_sql_vec_set(out, r, &v);
        return;
    }
    if (out->type == EDDY_SQL_V_INT && v.type == EDDY_SQL_V_BOOL) {
        int64_t i = v.b;
        v.type = EDDY_SQL_V_INT;
        v.i = i;
        eddy_sql_vec_set(out, r, &v);
        return;
    }
    out->valid[r] = 0; /* a dynamic value of another kind: null */
}

int eddy_sql_vout_done(eddy_sql_xctx *c, eddy_sql_vec *out)
{
    if (out->type == EDDY_SQL_V_ANY && eddy_sql_vec_narrow(out, c->arena) != 0) {
        return eddy_sql_x_nomem(c);
    }
    return 0;
}

int eddy_sql_chunk_gather(const eddy_sql_chunk *in, const uint32_t *sel, uint32_t nsel,
                          eddy_arena *arena, eddy_sql_chunk *out)
{
    out->nrows = nsel;
    out->ncols = in->ncols;
    out->arena = arena;
    out->cols = eddy_arena_alloc(arena, sizeof(eddy_sql_vec) * (in->ncols ? in->ncols : 1));
    if (!out->cols) {
        return EDDY_ERR_NOMEM;
    }
    for (uint32_t j = 0; j < in->ncols; j++) {
        const eddy_sql_vec *v = &in->cols[j];
        eddy_sql_vec *o = &out->cols[j];
        if (v->constant || v->type == EDDY_SQL_V_NULL) {
            *o = *v;
            o->n = nsel;
            continue;
        }
        if (eddy_sql_vec_alloc(o, arena, v->type, nsel) != 0) {
            return EDDY_ERR_NOMEM;
        }
        if (v->valid) {
            for (uint32_t i = 0; i < nsel; i++) {
                o->valid[i] = v->valid[sel[i]];
            }
        } else {
            o->valid = NULL;
        }
        switch (v->type) {
        case EDDY_SQL_V_BOOL:
            for (uint32_t i = 0; i < nsel; i++) {
                o->b[i] = v->b[sel[i]];
            }
            break;
        case EDDY_SQL_V_INT:
        case EDDY_SQL_V_TIME:
            for (uint32_t i = 0; i < nsel; i++) {
                o->i[i] = v->i[sel[i]];
            }
            break;
        case EDDY_SQL_V_DOUBLE:
            for (uint32_t i = 0; i < nsel; i++) {
                o->d[i] = v->d[sel[i]];
            }
            break;
        case EDDY_SQL_V_STRING:
        case EDDY_SQL_V_RECORD:
        case EDDY_SQL_V_ARRAY:
            for (uint32_t i = 0; i < nsel; i++) {
                o->s[i] = v->s[sel[i]];
            }
            break;
        case EDDY_SQL_V_ANY:
            for (uint32_t i = 0; i < nsel; i++) {
                o->any[i] = v->any[sel[i]];
            }
            break;
        case EDDY_SQL_V_NULL:
            break;
        }
    }
    return 0;
}

/* Evaluates x over the rows sel[0..nsel) of in (all rows when sel is
 * NULL) into *out of nsel rows. */
static int eval_on(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_chunk *in,
                   const uint32_t *sel, uint32_t nsel, eddy_sql_vec *out)
{
    if (!sel || nsel == in->nrows) {
        return eddy_sql_x_eval(x, c, in, out);
    }
    eddy_sql_chunk sub;
    if (eddy_sql_chunk_gather(in, sel, nsel, c->arena, &sub) != 0) {
        return eddy_sql_x_nomem(c);
    }
    return eddy_sql_x_eval(x, c, &sub, out);
}

/* ---- arithmetic -------------------------------------------------------- */

static bool is_num(eddy_sql_vtype t)
{
    return t == EDDY_SQL_V_INT || t == EDDY_SQL_V_DOUBLE || t == EDDY_SQL_V_BOOL;
}

static bool is_intlike(eddy_sql_vtype t)
{
    return t == EDDY_SQL_V_INT || t == EDDY_SQL_V_BOOL;
}

static int overflow(const eddy_sql_x *x, eddy_sql_xctx *c, int64_t a, int64_t b)
{
    return eddy_sql_x_fail(x, c, "bigint overflow: %lld %s %lld is out of range", (long long)a,
                           eddy_sql_op_name(x->op), (long long)b);
}

#define INT_LOOP(BUILTIN)                                                                          \
    for (uint32_t r = 0; r < m; r++) {                                                             \
        int64_t va = a->i[r * sa], vb = b->i[r * sb];                                              \
        if (BUILTIN(va, vb, &o[r]) && (!out->valid || out->valid[r])) {                            \
            return overflow(x, c, va, vb);                                                         \
        }                                                                                          \
    }

static int arith_int(const eddy_sql_x *x, eddy_sql_xctx *c, eddy_sql_vec *a, eddy_sql_vec *b,
                     uint32_t n, eddy_sql_vec *out)
{
    int rc;
    if ((rc = to_int(c, a)) || (rc = to_int(c, b))) {
        return rc;
    }
    bool k = a->constant && b->constant;
    uint32_t m = k ? 1 : n, sa = a->constant ? 0 : 1, sb = b->constant ? 0 : 1;
    if (x->op == EDDY_SQL_OP_DIV) {
        /* bigint / bigint is a float (docs/sql.md) */
        if ((rc = to_double(c, a)) || (rc = to_double(c, b))) {
            return rc;
        }
        if ((rc = vnew(c, out, EDDY_SQL_V_DOUBLE, n, k)) || (rc = valid2(c, out, a, b, m))) {
            return rc;
        }
        for (uint32_t r = 0; r < m; r++) {
            double vb = b->d[r * sb];
            if (vb == 0 && (!out->valid || out->valid[r])) {
                return eddy_sql_x_fail(x, c, "division by zero");
            }
            out->d[r] = a->d[r * sa] / vb;
        }
        return 0;
    }
    if ((rc = vnew(c, out, EDDY_SQL_V_INT, n, k)) || (rc = valid2(c, out, a, b, m))) {
        return rc;
    }
    int64_t *o = out->i;
    switch (x->op) {
    case EDDY_SQL_OP_ADD:
        INT_LOOP(__builtin_add_overflow);
        break;
    case EDDY_SQL_OP_SUB:
        INT_LOOP(__builtin_sub_overflow);
        break;
    case EDDY_SQL_OP_MUL:
        INT_LOOP(__builtin_mul_overflow);
        break;
    case EDDY_SQL_OP_MOD:
        for (uint32_t r = 0; r < m; r++) {
            int64_t va = a->i[r * sa], vb = b->i[r * sb];
            if (vb == 0) {
                if (!out->valid || out->valid[r]) {
                    return eddy_sql_x_fail(x, c, "division by zero");
                }
                o[r] = 0;
            } else {
                o[r] = vb == -1 ? 0 : va % vb;
            }
        }
        break;
    default:
        break;
    }
    return 0;
}

static int arith_double(const eddy_sql_x *x, eddy_sql_xctx *c, eddy_sql_vec *a, eddy_sql_vec *b,
                        uint32_t n, eddy_sql_vec *out)
{
    int rc;
    if ((rc = to_double(c, a)) || (rc = to_double(c, b))) {
        return rc;
    }
    bool k = a->constant && b->constant;
    uint32_t m = k ? 1 : n, sa = a->constant ? 0 : 1, sb = b->constant ? 0 : 1;
    if ((rc = vnew(c, out, EDDY_SQL_V_DOUBLE, n, k)) || (rc = valid2(c, out, a, b, m))) {
        return rc;
    }
    double *o = out->d;
    const double *pa = a->d, *pb = b->d;
    switch (x->op) {
    case EDDY_SQL_OP_ADD:
        for (uint32_t r = 0; r < m; r++) {
            o[r] = pa[r * sa] + pb[r * sb];
        }
        break;
    case EDDY_SQL_OP_SUB:
        for (uint32_t r = 0; r < m; r++) {
            o[r] = pa[r * sa] - pb[r * sb];
        }
        break;
    case EDDY_SQL_OP_MUL:
        for (uint32_t r = 0; r < m; r++) {
            o[r] = pa[r * sa] * pb[r * sb];
        }
        break;
    case EDDY_SQL_OP_DIV:
    case EDDY_SQL_OP_MOD:
        for (uint32_t r = 0; r < m; r++) {
            double vb = pb[r * sb];
            if (vb == 0) {
                if (!out->valid || out->valid[r]) {
                    return eddy_sql_x_fail(x, c, "division by zero");
                }
                o[r] = 0;
                continue;
            }
            o[r] = x->op == EDDY_SQL_OP_DIV ? pa[r * sa] / vb : fmod(pa[r * sa], vb);
        }
        break;
    default:
        break;
    }
    return 0;
}

/* One row of arithmetic over tagged values: 0 with *res (null when the
 * kinds do not fit), or an error. */
static int arith_value(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                       const eddy_sql_value *b, eddy_sql_value *res)
{
    memset(res, 0, sizeof *res);
    if (a->type == EDDY_SQL_V_NULL || b->type == EDDY_SQL_V_NULL) {
        return 0;
    }
    if (x->op == EDDY_SQL_OP_ADD && a->type == EDDY_SQL_V_STRING && b->type == EDDY_SQL_V_STRING) {
        size_t len = (size_t)a->s.len + b->s.len;
        char *p = eddy_arena_alloc(c->arena, len ? len : 1);
        if (!p) {
            return eddy_sql_x_nomem(c);
        }
        if (a->s.len) {
            memcpy(p, a->s.p, a->s.len);
        }
        if (b->s.len) {
            memcpy(p + a->s.len, b->s.p, b->s.len);
        }
        res->type = EDDY_SQL_V_STRING;
        res->s.p = p;
        res->s.len = (uint32_t)len;
        return 0;
    }
    if (!is_num(a->type) || !is_num(b->type)) {
        return 0;
    }
    if (is_intlike(a->type) && is_intlike(b->type) && x->op != EDDY_SQL_OP_DIV) {
        int64_t va = a->type == EDDY_SQL_V_BOOL ? a->b : a->i;
        int64_t vb = b->type == EDDY_SQL_V_BOOL ? b->b : b->i;
        int64_t r = 0;
        bool ovf = false;
        switch (x->op) {
        case EDDY_SQL_OP_ADD:
            ovf = __builtin_add_overflow(va, vb, &r);
            break;
        case EDDY_SQL_OP_SUB:
            ovf = __builtin_sub_overflow(va, vb, &r);
            break;
        case EDDY_SQL_OP_MUL:
            ovf = __builtin_mul_overflow(va, vb, &r);
            break;
        case EDDY_SQL_OP_MOD:
            if (vb == 0) {
                return eddy_sql_x_fail(x, c, "division by zero");
            }
            r = vb == -1 ? 0 : va % vb;
            break;
        default:
            break;
        }
        if (ovf) {
            return overflow(x, c, va, vb);
        }
        res->type = EDDY_SQL_V_INT;
        res->i = r;
        return 0;
    }
    double va, vb, r = 0;
    eddy_sql_value_num(a, &va);
    eddy_sql_value_num(b, &vb);
    switch (x->op) {
    case EDDY_SQL_OP_ADD:
        r = va + vb;
        break;
    case EDDY_SQL_OP_SUB:
        r = va - vb;
        break;
    case EDDY_SQL_OP_MUL:
        r = va * vb;
        break;
    case EDDY_SQL_OP_DIV:
    case EDDY_SQL_OP_MOD:
        if (vb == 0) {
            return eddy_sql_x_fail(x, c, "division by zero");
        }
        r = x->op == EDDY_SQL_OP_DIV ? va / vb : fmod(va, vb);
        break;
    default:
        break;
    }
    res->type = EDDY_SQL_V_DOUBLE;
    res->d = r;
    return 0;
}

static int arith_generic(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_vec *a,
                         const eddy_sql_vec *b, uint32_t n, eddy_sql_vec *out)
{
    bool k = a->constant && b->constant;
    uint32_t m = k ? 1 : n;
    int rc = eddy_sql_vout_init(c, out, x->type, n, k);
    if (rc) {
        return rc;
    }
    for (uint32_t r = 0; r < m; r++) {
        eddy_sql_value va = eddy_sql_vec_get(a, r), vb = eddy_sql_vec_get(b, r), res;
        if ((rc = arith_value(x, c, &va, &vb, &res))) {
            return rc;
        }
        eddy_sql_vout_put(out, r, &res);
    }
    return eddy_sql_vout_done(c, out);
}

static int arith(const eddy_sql_x *x, eddy_sql_xctx *c, eddy_sql_vec *a, eddy_sql_vec *b,
                 uint32_t n, eddy_sql_vec *out)
{
    if (a->type == EDDY_SQL_V_NULL || b->type == EDDY_SQL_V_NULL) {
        null_vec(out, n);
        return 0;
    }
    if (is_intlike(a->type) && is_intlike(b->type)) {
        return arith_int(x, c, a, b, n, out);
    }
    if (is_num(a->type) && is_num(b->type)) {
        return arith_double(x, c, a, b, n, out);
    }
    return arith_generic(x, c, a, b, n, out);
}

/* ---- comparison -------------------------------------------------------- */

static inline uint8_t cmp_ok(eddy_sql_op op, int r)
{
    switch (op) {
    case EDDY_SQL_OP_EQ:
        return r == 0;
    case EDDY_SQL_OP_NE:
        return r != 0;
    case EDDY_SQL_OP_LT:
        return r < 0;
    case EDDY_SQL_OP_LE:
        return r <= 0;
    case EDDY_SQL_OP_GT:
        return r > 0;
    case EDDY_SQL_OP_GE:
        return r >= 0;
    default:
        return 0;
    }
}

#define CMP_LOOP(A, B)                                                                             \
    switch (op) {                                                                                  \
    case EDDY_SQL_OP_EQ:                                                                           \
        for (uint32_t r = 0; r < m; r++) {                                                         \
            o[r] = (A) == (B);                                                                     \
        }                                                                                          \
        break;                                                                                     \
    case EDDY_SQL_OP_NE:                                                                           \
        for (uint32_t r = 0; r < m; r++) {                                                         \
            o[r] = (A) != (B);                                                                     \
        }                                                                                          \
        break;                                                                                     \
    case EDDY_SQL_OP_LT:                                                                           \
        for (uint32_t r = 0; r < m; r++) {                                                         \
            o[r] = (A) < (B);                                                                      \
        }                                                                                          \
        break;                                                                                     \
    case EDDY_SQL_OP_LE:                                                                           \
        for (uint32_t r = 0; r < m; r++) {                                                         \
            o[r] = (A) <= (B);                                                                     \
        }                                                                                          \
        break;                                                                                     \
    case EDDY_SQL_OP_GT:                                                                           \
        for (uint32_t r = 0; r < m; r++) {                                                         \
            o[r] = (A) > (B);                                                                      \
        }                                                                                          \
        break;                                                                                     \
    case EDDY_SQL_OP_GE:                                                                           \
        for (uint32_t r = 0; r < m; r++) {                                                         \
            o[r] = (A) >= (B);                                                                     \
        }                                                                                          \
        break;                                                                                     \
    default:                                                                                       \
        break;                                                                                     \
    }

static int str_cmp(eddy_sql_str a, eddy_sql_str b)
{
    uint32_t n = a.len < b.len ? a.len : b.len;
    int r = n ? memcmp(a.p, b.p, n) : 0;
    if (r) {
        return r;
    }
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

/* Turns a STRING vector into TIME (unparseable rows become null), for
 * comparisons of datetimes with text. */
static int str_to_time(eddy_sql_xctx *c, eddy_sql_vec *v)
{
    uint32_t m = v->constant ? 1 : v->n;
    eddy_sql_vec t;
    if (vnew(c, &t, EDDY_SQL_V_TIME, v->n, v->constant) != 0) {
        return eddy_sql_x_nomem(c);
    }
    for (uint32_t r = 0; r < m; r++) {
        t.valid[r] = 0;
        if (v->valid && !v->valid[r]) {
            continue;
        }
        int64_t us;
        if (eddy_sql_time_parse(v->s[r].p, v->s[r].len, &us)) {
            t.i[r] = us;
            t.valid[r] = 1;
        }
    }
    *v = t;
    return 0;
}

/* Compares a and b with op into a BOOL vector. */
static int compare(eddy_sql_op op, eddy_sql_xctx *c, eddy_sql_vec *a, eddy_sql_vec *b, uint32_t n,
                   eddy_sql_vec *out)
{
    int rc;
    if (a->type == EDDY_SQL_V_NULL || b->type == EDDY_SQL_V_NULL) {
        null_vec(out, n);
        return 0;
    }
    if (a->type == EDDY_SQL_V_TIME && b->type == EDDY_SQL_V_STRING) {
        if ((rc = str_to_time(c, b))) {
            return rc;
        }
    } else if (a->type == EDDY_SQL_V_STRING && b->type == EDDY_SQL_V_TIME) {
        if ((rc = str_to_time(c, a))) {
            return rc;
        }
    }
    bool k = a->constant && b->constant;
    uint32_t m = k ? 1 : n, sa = a->constant ? 0 : 1, sb = b->constant ? 0 : 1;
    eddy_sql_vtype ta = a->type, tb = b->type;
    bool typed = (is_intlike(ta) && is_intlike(tb)) || (is_num(ta) && is_num(tb)) ||
                 (ta == EDDY_SQL_V_STRING && tb == EDDY_SQL_V_STRING) ||
                 (ta == EDDY_SQL_V_TIME && tb == EDDY_SQL_V_TIME);
    if (!typed) {
        if ((rc = vnew(c, out, EDDY_SQL_V_BOOL, n, k))) {
            return rc;
        }
        for (uint32_t r = 0; r < m; r++) {
            eddy_sql_value va = eddy_sql_vec_get(a, r), vb = eddy_sql_vec_get(b, r);
            int cr = va.type == EDDY_SQL_V_NULL || vb.type == EDDY_SQL_V_NULL
                         ? 2
                         : eddy_sql_value_cmp(&va, &vb);
            if (cr == 2) {
                out->valid[r] = 0;
                out->b[r] = 0;
            } else {
                out->b[r] = cmp_ok(op, cr);
            }
        }
        return 0;
    }
    if ((rc = vnew(c, out, EDDY_SQL_V_BOOL, n, k)) || (rc = valid2(c, out, a, b, m))) {
        return rc;
    }
    uint8_t *o = out->b;
    if (is_intlike(ta) && is_intlike(tb)) {
        if ((rc = to_int(c, a)) || (rc = to_int(c, b))) {
            return rc;
        }
        const int64_t *pa = a->i, *pb = b->i;
        CMP_LOOP(pa[r * sa], pb[r * sb]);
    } else if (ta == EDDY_SQL_V_TIME) {
        const int64_t *pa = a->i, *pb = b->i;
        CMP_LOOP(pa[r * sa], pb[r * sb]);
    } else if (ta == EDDY_SQL_V_STRING) {
        /* the text of a null row is undefined: never touch it */
        const eddy_sql_str *pa = a->s, *pb = b->s;
        const uint8_t *ok = out->valid;
        uint8_t want = op == EDDY_SQL_OP_EQ;
        for (uint32_t r = 0; r < m; r++) {
            if (ok && !ok[r]) {
                o[r] = 0;
                continue;
            }
            eddy_sql_str x = pa[r * sa], y = pb[r * sb];
            if (op == EDDY_SQL_OP_EQ || op == EDDY_SQL_OP_NE) {
                uint8_t eq = x.len == y.len && (x.len == 0 || memcmp(x.p, y.p, x.len) == 0);
                o[r] = eq == want;
            } else {
                o[r] = cmp_ok(op, str_cmp(x, y));
            }
        }
    } else if (is_intlike(ta) || is_intlike(tb)) {
        /* bigint against float: exact, without rounding the integer */
        for (uint32_t r = 0; r < m; r++) {
            eddy_sql_value va = eddy_sql_vec_get(a, r), vb = eddy_sql_vec_get(b, r);
            if (va.type == EDDY_SQL_V_NULL || vb.type == EDDY_SQL_V_NULL) {
                o[r] = 0;
                continue;
            }
            o[r] = cmp_ok(op, eddy_sql_value_cmp(&va, &vb));
        }
    } else {
        const double *pa = a->d, *pb = b->d;
        CMP_LOOP(pa[r * sa], pb[r * sb]);
    }
    return 0;
}

/* ---- logic ------------------------------------------------------------- */

enum { T_FALSE = 0, T_TRUE = 1, T_NULL = 2 };

/* The three-valued truth of row r of a predicate vector. */
static inline uint8_t truth(const eddy_sql_vec *v, uint32_t r)
{
    if (!eddy_sql_vec_valid(v, r)) {
        return T_NULL;
    }
    uint32_t i = v->constant ? 0 : r;
    if (v->type == EDDY_SQL_V_BOOL) {
        return v->b[i] ? T_TRUE : T_FALSE;
    }
    if (v->type == EDDY_SQL_V_ANY && v->any[i].type == EDDY_SQL_V_BOOL) {
        return v->any[i].b ? T_TRUE : T_FALSE;
    }
    return T_NULL;
}

static int tri_out(eddy_sql_xctx *c, eddy_sql_vec *out, const uint8_t *t, uint32_t n)
{
    int rc = vnew(c, out, EDDY_SQL_V_BOOL, n, false);
    if (rc) {
        return rc;
    }
    for (uint32_t r = 0; r < n; r++) {
        out->b[r] = t[r] == T_TRUE;
        out->valid[r] = t[r] != T_NULL;
    }
    return 0;
}

/* AND / OR with Kleene logic; the right side is evaluated only on the rows
 * whose result the left side does not decide. */
static int eval_logic(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_chunk *in,
                      eddy_sql_vec *out)
{
    bool is_and = x->op == EDDY_SQL_OP_AND;
    uint8_t decides = is_and ? T_FALSE : T_TRUE;
    uint32_t n = in->nrows;
    eddy_sql_vec l;
    int rc = eddy_sql_x_eval(x->args[0], c, in, &l);
    if (rc) {
        return rc;
    }
    uint8_t *t = eddy_arena_alloc(c->arena, n ? n : 1);
    uint32_t *sel = eddy_arena_alloc(c->arena, sizeof(uint32_t) * (n ? n : 1));
    if (!t || !sel) {
        return eddy_sql_x_nomem(c);
    }
    uint32_t nsel = 0;
    for (uint32_t r = 0; r < n; r++) {
        t[r] = truth(&l, r);
        if (t[r] != decides) {
            sel[nsel++] = r;
        }
    }
    if (nsel > 0) {
        eddy_sql_vec rv;
        if ((rc = eval_on(x->args[1], c, in, sel, nsel, &rv))) {
            return rc;
        }
        for (uint32_t i = 0; i < nsel; i++) {
            uint32_t r = sel[i];
            uint8_t a = t[r], b = truth(&rv, i);
            if (b == decides) {
                t[r] = decides;
            } else if (a == T_NULL || b == T_NULL) {
                t[r] = T_NULL;
            } else {
                t[r] = is_and ? T_TRUE : T_FALSE;
            }
        }
    }
    return tri_out(c, out, t, n);
}

static int eval_not(eddy_sql_xctx *c, const eddy_sql_vec *a, uint32_t n, eddy_sql_vec *out)
{
    if (a->type == EDDY_SQL_V_NULL) {
        null_vec(out, n);
        return 0;
    }
    bool k = a->constant;
    uint32_t m = k ? 1 : n;
    int rc = vnew(c, out, EDDY_SQL_V_BOOL, n, k);
    if (rc) {
        return rc;
    }
    for (uint32_t r = 0; r < m; r++) {
        uint8_t t = truth(a, r);
        out->b[r] = t == T_FALSE;
        out->valid[r] = t != T_NULL;
    }
    return 0;
}

/* ---- unary minus ------------------------------------------------------- */

static int eval_neg(const eddy_sql_x *x, eddy_sql_xctx *c, eddy_sql_vec *a, uint32_t n,
                    eddy_sql_vec *out)
{
    if (a->type == EDDY_SQL_V_NULL) {
        null_vec(out, n);
        return 0;
    }
    bool neg = x->op == EDDY_SQL_OP_NEG;
    bool k = a->constant;
    uint32_t m = k ? 1 : n;
    int rc;
    if (is_intlike(a->type)) {
        if ((rc = to_int(c, a)) || (rc = vnew(c, out, EDDY_SQL_V_INT, n, k)) ||
            (rc = valid2(c, out, a, NULL, m))) {
            return rc;
        }
        for (uint32_t r = 0; r < m; r++) {
            int64_t v = a->i[r];
            if (neg && v == INT64_MIN && (!out->valid || out->valid[r])) {
                return eddy_sql_x_fail(x, c, "bigint overflow: -(%lld) is out of range",
                                       (long long)v);
            }
            out->i[r] = neg && v != INT64_MIN ? -v : v;
        }
        return 0;
    }
    if (a->type == EDDY_SQL_V_DOUBLE) {
        if ((rc = vnew(c, out, EDDY_SQL_V_DOUBLE, n, k)) || (rc = valid2(c, out, a, NULL, m))) {
            return rc;
        }
        for (uint32_t r = 0; r < m; r++) {
            out->d[r] = neg ? -a->d[r] : a->d[r];
        }
        return 0;
    }
    if ((rc = eddy_sql_vout_init(c, out, x->type, n, k))) {
        return rc;
    }
    for (uint32_t r = 0; r < m; r++) {
        eddy_sql_value v = eddy_sql_vec_get(a, r);
        if (v.type == EDDY_SQL_V_BOOL) {
            int64_t i = v.b;
            v.type = EDDY_SQL_V_INT;
            v.i = i;
        }
        if (v.type == EDDY_SQL_V_INT) {
            if (neg && v.i == INT64_MIN) {
                return eddy_sql_x_fail(x, c, "bigint overflow: -(%lld) is out of range",
                                       (long long)v.i);
            }
            v.i = neg ? -v.i : v.i;
        } else if (v.type == EDDY_SQL_V_DOUBLE) {
            v.d = neg ? -v.d : v.d;
        } else {
            v.type = EDDY_SQL_V_NULL;
        }
        eddy_sql_vout_put(out, r, &v);
    }
    return eddy_sql_vout_done(c, out);
}

/* ---- IS NULL, IN, BETWEEN, LIKE ---------------------------------------- */

static int eval_is_null(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_vec *a, uint32_t n,
                        eddy_sql_vec *out)
{
    bool k = a->constant || a->type == EDDY_SQL_V_NULL;
    uint32_t m = k ? 1 : n;
    int rc = vnew(c, out, EDDY_SQL_V_BOOL, n, k);
    if (rc) {
        return rc;
    }
    out->valid = NULL;
    for (uint32_t r = 0; r < m; r++) {
        bool isnull =
            !eddy_sql_vec_valid(a, r) ||
            (a->type == EDDY_SQL_V_ANY && a->any[a->constant ? 0 : r].type == EDDY_SQL_V_NULL);
        out->b[r] = isnull != x->negated;
    }
    return 0;
}

static int eval_in(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_chunk *in,
                   eddy_sql_vec *out)
{
    uint32_t n = in->nrows;
    eddy_sql_vec a;
    int rc = eddy_sql_x_eval(x->args[0], c, in, &a);
    if (rc) {
        return rc;
    }
    uint8_t *t = eddy_arena_alloc(c->arena, n ? n : 1);
    if (!t) {
        return eddy_sql_x_nomem(c);
    }
    memset(t, T_FALSE, n);
    for (uint32_t r = 0; r < n; r++) {
        if (!eddy_sql_vec_valid(&a, r)) {
            t[r] = T_NULL;
        }
    }
    for (uint32_t j = 1; j < x->nargs; j++) {
        eddy_sql_vec b, eq;
        if ((rc = eddy_sql_x_eval(x->args[j], c, in, &b))) {
            return rc;
        }
        eddy_sql_vec aa = a;
        if ((rc = compare(EDDY_SQL_OP_EQ, c, &aa, &b, n, &eq))) {
            return rc;
        }
        for (uint32_t r = 0; r < n; r++) {
            uint8_t e = truth(&eq, r);
            if (e == T_TRUE) {
                t[r] = T_TRUE;
            } else if (e == T_NULL && t[r] == T_FALSE) {
                t[r] = T_NULL;
            }
        }
    }
    if (x->negated) {
        for (uint32_t r = 0; r < n; r++) {
            t[r] = t[r] == T_NULL ? T_NULL : t[r] == T_TRUE ? T_FALSE : T_TRUE;
        }
    }
    return tri_out(c, out, t, n);
}

static int eval_between(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_chunk *in,
                        eddy_sql_vec *out)
{
    uint32_t n = in->nrows;
    eddy_sql_vec a, lo, hi, ge, le;
    int rc;
    if ((rc = eddy_sql_x_eval(x->args[0], c, in, &a)) ||
        (rc = eddy_sql_x_eval(x->args[1], c, in, &lo)) ||
        (rc = eddy_sql_x_eval(x->args[2], c, in, &hi))) {
        return rc;
    }
    eddy_sql_vec a2 = a;
    if ((rc = compare(EDDY_SQL_OP_GE, c, &a, &lo, n, &ge)) ||
        (rc = compare(EDDY_SQL_OP_LE, c, &a2, &hi, n, &le))) {
        return rc;
    }
    uint8_t *t = eddy_arena_alloc(c->arena, n ? n : 1);
    if (!t) {
        return eddy_sql_x_nomem(c);
    }
    for (uint32_t r = 0; r < n; r++) {
        uint8_t p = truth(&ge, r), q = truth(&le, r), v;
        if (p == T_FALSE || q == T_FALSE) {
            v = T_FALSE;
        } else if (p == T_NULL || q == T_NULL) {
            v = T_NULL;
        } else {
            v = T_TRUE;
        }
        if (x->negated && v != T_NULL) {
            v = v == T_TRUE ? T_FALSE : T_TRUE;
        }
        t[r] = v;
    }
    return tri_out(c, out, t, n);
}

/* LIKE patterns compile to a list of tokens: literal bytes, '_' (one UTF-8
 * character), '%' (any run) and character sets. */
enum { L_LIT, L_ONE, L_ANY, L_SET };

typedef struct like_tok {
    uint8_t kind;
    bool negate;      /* L_SET: [^...] */
    uint32_t len;     /* L_LIT: bytes; L_SET: bytes of the set spec */
    const char *p;    /* L_LIT: the bytes; L_SET: pairs lo,hi of code points */
    uint32_t *ranges; /* L_SET: npairs pairs */
    uint32_t nranges;
} like_tok;

struct eddy_sql_like {
    like_tok *toks;
    uint32_t ntoks;
};

/* Decodes one UTF-8 character at s (len > 0); returns its length. Invalid
 * bytes count as one character each. */
static uint32_t utf8_next(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    uint32_t need = u[0] >= 0xF0 ? 3 : u[0] >= 0xE0 ? 2 : u[0] >= 0xC0 ? 1 : 0;
    if (need == 0 || need >= len) {
        *cp = u[0];
        return 1;
    }
    uint32_t v = u[0] & (0x3F >> need);
    for (uint32_t i = 1; i <= need; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *cp = u[0];
            return 1;
        }
        v = (v << 6) | (u[i] & 0x3F);
    }
    *cp = v;
    return need + 1;
}

eddy_sql_like *eddy_sql_like_compile(const char *pat, size_t len, int esc, eddy_arena *arena,
                                     char *msg, size_t msglen)
{
    eddy_sql_like *p = eddy_arena_calloc(arena, 1, sizeof *p);
    like_tok *toks = eddy_arena_calloc(arena, len + 1, sizeof *toks);
    char *lit = eddy_arena_alloc(arena, len + 1);
    uint32_t *ranges = eddy_arena_alloc(arena, sizeof(uint32_t) * 2 * (len + 1));
    if (!p || !toks || !lit || !ranges) {
        snprintf(msg, msglen, "out of memory");
        return NULL;
    }
    uint32_t nt = 0, nlit = 0, nr = 0;
    size_t i = 0;
    while (i < len) {
        char ch = pat[i];
        if (esc >= 0 && (unsigned char)ch == (unsigned)esc) {
            if (i + 1 >= len) {
                snprintf(msg, msglen, "LIKE pattern ends with its escape character");
                return NULL;
            }
            ch = pat[i + 1];
            i += 2;
            goto literal;
        }
        if (ch == '%') {
            if (nt == 0 || toks[nt - 1].kind != L_ANY) {
                toks[nt++].kind = L_ANY;
            }
            i++;
            continue;
        }
        if (ch == '_') {
            toks[nt++].kind = L_ONE;
            i++;
            continue;
        }
        if (ch == '[') {
            size_t j = i + 1;
            like_tok *t = &toks[nt];
            t->kind = L_SET;
            t->ranges = ranges + nr * 2;
            if (j < len && pat[j] == '^') {
                t->negate = true;
                j++;
            }
            bool first = true;
            while (j < len && (pat[j] != ']' || first)) {
                uint32_t lo, hi;
                j += utf8_next(pat + j, len - j, &lo);
                hi = lo;
                if (j + 1 < len && pat[j] == '-' && pat[j + 1] != ']') {
                    j++;
                    j += utf8_next(pat + j, len - j, &hi);
                }
                ranges[nr * 2] = lo;
                ranges[nr * 2 + 1] = hi;
                nr++;
                t->nranges++;
                first = false;
            }
            if (j >= len) {
                snprintf(msg, msglen, "LIKE pattern has an unclosed '['");
                return NULL;
            }
            nt++;
            i = j + 1;
            continue;
        }
        i++;
    literal:
        if (nt > 0 && toks[nt - 1].kind == L_LIT &&
            toks[nt - 1].p + toks[nt - 1].len == lit + nlit) {
            toks[nt - 1].len++;
        } else {
            toks[nt].kind = L_LIT;
            toks[nt].p = lit + nlit;
            toks[nt].len = 1;
            nt++;
        }
        lit[nlit++] = ch;
    }
    p->toks = toks;
    p->ntoks = nt;
    return p;
}

static bool set_has(const like_tok *t, uint32_t cp)
{
    bool in = false;
    for (uint32_t k = 0; k < t->nranges; k++) {
        if (cp >= t->ranges[2 * k] && cp <= t->ranges[2 * k + 1]) {
            in = true;
            break;
        }
    }
    return in != t->negate;
}

/* Matches tokens from ti at s[si..]; '%' backtracks to the last star only
 * (the classic greedy wildcard algorithm, linear in practice). */
bool eddy_sql_like_match(const eddy_sql_like *p, const char *s, size_t len)
{
    uint32_t ti = 0;
    size_t si = 0;
    uint32_t star_t = UINT32_MAX;
    size_t star_s = 0;
    while (si < len || ti < p->ntoks) {
        if (ti < p->ntoks) {
            const like_tok *t = &p->toks[ti];
            if (t->kind == L_ANY) {
                star_t = ti++;
                star_s = si;
                continue;
            }
            if (si < len) {
                if (t->kind == L_LIT) {
                    if (len - si >= t->len && memcmp(s + si, t->p, t->len) == 0) {
                        si += t->len;
                        ti++;
                        continue;
                    }
                } else {
                    uint32_t cp;
                    uint32_t cl = utf8_next(s + si, len - si, &cp);
                    if (t->kind == L_ONE || set_has(t, cp)) {
                        si += cl;
                        ti++;
                        continue;
                    }
                }
            }
        }
        if (star_t != UINT32_MAX && star_s < len) {
            uint32_t cp;
            star_s += utf8_next(s + star_s, len - star_s, &cp);
            si = star_s;
            ti = star_t + 1;
            continue;
        }
        return false;
    }
    return true;
}

static int like_escape(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *e, int *esc)
{
    *esc = -1;
    if (e->type == EDDY_SQL_V_NULL) {
        return 0;
    }
    if (e->type != EDDY_SQL_V_STRING || e->s.len != 1) {
        return eddy_sql_x_fail(x, c, "the ESCAPE of LIKE must be one character");
    }
    *esc = (unsigned char)e->s.p[0];
    return 0;
}

static int eval_like(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_chunk *in,
                     eddy_sql_vec *out)
{
    uint32_t n = in->nrows;
    eddy_sql_vec a;
    int rc = eddy_sql_x_eval(x->args[0], c, in, &a);
    if (rc) {
        return rc;
    }
    if ((rc = vnew(c, out, EDDY_SQL_V_BOOL, n, false))) {
        return rc;
    }
    const eddy_sql_like *pat = x->aux;
    eddy_sql_vec pv, ev;
    if (!pat) {
        if ((rc = eddy_sql_x_eval(x->args[1], c, in, &pv))) {
            return rc;
        }
        if (x->nargs > 2 && (rc = eddy_sql_x_eval(x->args[2], c, in, &ev))) {
            return rc;
        }
    }
    bool neg = x->negated;
    for (uint32_t r = 0; r < n; r++) {
        eddy_sql_value v = eddy_sql_vec_get(&a, r);
        if (v.type != EDDY_SQL_V_STRING) {
            out->valid[r] = 0;
            out->b[r] = 0;
            continue;
        }
        const eddy_sql_like *p = pat;
        if (!p) {
            eddy_sql_value pvv = eddy_sql_vec_get(&pv, r);
            eddy_sql_value evv = {.type = EDDY_SQL_V_NULL};
            if (x->nargs > 2) {
                evv = eddy_sql_vec_get(&ev, r);
            }
            if (pvv.type != EDDY_SQL_V_STRING) {
                out->valid[r] = 0;
                out->b[r] = 0;
                continue;
            }
            int esc;
            if ((rc = like_escape(x, c, &evv, &esc))) {
                return rc;
            }
            char msg[128];
            p = eddy_sql_like_compile(pvv.s.p, pvv.s.len, esc, c->arena, msg, sizeof msg);
            if (!p) {
                return eddy_sql_x_fail(x, c, "%s", msg);
            }
        }
        out->b[r] = eddy_sql_like_match(p, v.s.p, v.s.len) != neg;
    }
    return 0;
}

/* ---- CASE -------------------------------------------------------------- */

static int eval_case(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_chunk *in,
                     eddy_sql_vec *out)
{
    uint32_t n = in->nrows;
    int rc = eddy_sql_vout_init(c, out, x->type, n, false);
    if (rc) {
        return rc;
    }
    uint32_t *rest = eddy_arena_alloc(c->arena, sizeof(uint32_t) * (n ? n : 1));
    uint32_t *hit = eddy_arena_alloc(c->arena, sizeof(uint32_t) * (n ? n : 1));
    uint32_t *miss = eddy_arena_alloc(c->arena, sizeof(uint32_t) * (n ? n : 1));
    if (!rest || !hit || !miss) {
        return eddy_sql_x_nomem(c);
    }
    uint32_t nrest = n;
    for (uint32_t r = 0; r < n; r++) {
        rest[r] = r;
    }
    uint32_t nwhen = (x->nargs - (x->has_else ? 1 : 0)) / 2;
    for (uint32_t w = 0; w < nwhen && nrest > 0; w++) {
        eddy_sql_vec cond;
        if ((rc = eval_on(x->args[2 * w], c, in, rest, nrest, &cond))) {
            return rc;
        }
        uint32_t nhit = 0, nmiss = 0;
        for (uint32_t i = 0; i < nrest; i++) {
            if (truth(&cond, i) == T_TRUE) {
                hit[nhit++] = rest[i];
            } else {
                miss[nmiss++] = rest[i];
            }
        }
        if (nhit > 0) {
            eddy_sql_vec res;
            if ((rc = eval_on(x->args[2 * w + 1], c, in, hit, nhit, &res))) {
                return rc;
            }
            for (uint32_t i = 0; i < nhit; i++) {
                eddy_sql_value v = eddy_sql_vec_get(&res, i);
                eddy_sql_vout_put(out, hit[i], &v);
            }
        }
        memcpy(rest, miss, sizeof(uint32_t) * nmiss);
        nrest = nmiss;
    }
    if (x->has_else && nrest > 0) {
        eddy_sql_vec res;
        if ((rc = eval_on(x->args[x->nargs - 1], c, in, rest, nrest, &res))) {
            return rc;
        }
        for (uint32_t i = 0; i < nrest; i++) {
            eddy_sql_value v = eddy_sql_vec_get(&res, i);
            eddy_sql_vout_put(out, rest[i], &v);
        }
    }
    return eddy_sql_vout_done(c, out);
}

/* ---- CAST -------------------------------------------------------------- */

static bool parse_int(const char *s, size_t len, int64_t *out)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    if (len == 0) {
        return false;
    }
    size_t i = 0;
    bool neg = false;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        i++;
    }
    if (i >= len) {
        return false;
    }
    uint64_t v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            return false;
        }
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1) {
            return false;
        }
        *out = (int64_t)(0 - v);
    } else {
        if (v > (uint64_t)INT64_MAX) {
            return false;
        }
        *out = (int64_t)v;
    }
    return true;
}

static bool parse_double(const char *s, size_t len, double *out)
{
    char buf[128];
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    if (len == 0 || len >= sizeof buf) {
        return false;
    }
    memcpy(buf, s, len);
    buf[len] = 0;
    /* digits, sign, point and exponent only: no "inf", "nan" or hex */
    for (size_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' ||
              ch == 'E')) {
            return false;
        }
    }
    char *end;
    double d = strtod(buf, &end);
    if (end != buf + len || !isfinite(d)) {
        return false;
    }
    *out = d;
    return true;
}

static int dup_text(eddy_arena *arena, eddy_buf *b, eddy_sql_value *out, eddy_sql_vtype t)
{
    if (b->err) {
        return EDDY_ERR_NOMEM;
    }
    char *p = eddy_arena_memdup(arena, b->data ? (const char *)b->data : "", b->len);
    if (!p) {
        return EDDY_ERR_NOMEM;
    }
    out->type = t;
    out->s.p = p;
    out->s.len = (uint32_t)b->len;
    return 0;
}

int eddy_sql_cast_value(const eddy_sql_value *v, eddy_sql_vtype t, eddy_arena *arena,
                        eddy_sql_value *out)
{
    memset(out, 0, sizeof *out);
    if (v->type == t) {
        *out = *v;
        return 0;
    }
    double d;
    switch (t) {
    case EDDY_SQL_V_INT:
        out->type = EDDY_SQL_V_INT;
        switch (v->type) {
        case EDDY_SQL_V_BOOL:
            out->i = v->b;
            return 0;
        case EDDY_SQL_V_DOUBLE:
            d = trunc(v->d);
            if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) {
                return 1;
            }
            out->i = (int64_t)d;
            return 0;
        case EDDY_SQL_V_STRING:
            return parse_int(v->s.p, v->s.len, &out->i) ? 0 : 1;
        default:
            return 1;
        }
    case EDDY_SQL_V_DOUBLE:
        out->type = EDDY_SQL_V_DOUBLE;
        switch (v->type) {
        case EDDY_SQL_V_BOOL:
            out->d = v->b;
            return 0;
        case EDDY_SQL_V_INT:
            out->d = (double)v->i;
            return 0;
        case EDDY_SQL_V_STRING:
            return parse_double(v->s.p, v->s.len, &out->d) ? 0 : 1;
        default:
            return 1;
        }
    case EDDY_SQL_V_STRING: {
        eddy_buf b;
        eddy_buf_init(&b, 0);
        if (v->type == EDDY_SQL_V_BOOL) {
            eddy_buf_append(&b, v->b ? "true" : "false", v->b ? 4 : 5);
        } else {
            eddy_sql_value_text(&b, v);
        }
        int rc = dup_text(arena, &b, out, EDDY_SQL_V_STRING);
        eddy_buf_deinit(&b);
        return rc;
    }
    case EDDY_SQL_V_TIME:
        out->type = EDDY_SQL_V_TIME;
        if (v->type == EDDY_SQL_V_STRING) {
            return eddy_sql_time_parse(v->s.p, v->s.len, &out->i) ? 0 : 1;
        }
        return 1;
    case EDDY_SQL_V_BOOL:
        out->type = EDDY_SQL_V_BOOL;
        switch (v->type) {
        case EDDY_SQL_V_INT:
            out->b = v->i != 0;
            return 0;
        case EDDY_SQL_V_DOUBLE:
            out->b = v->d != 0;
            return 0;
        case EDDY_SQL_V_STRING: {
            const char *s = v->s.p;
            size_t len = v->s.len;
            while (len && *s == ' ') {
                s++;
                len--;
            }
            while (len && s[len - 1] == ' ') {
                len--;
            }
            if ((len == 4 && strncasecmp(s, "true", 4) == 0) || (len == 1 && s[0] == '1')) {
                out->b = true;
                return 0;
            }
            if ((len == 5 && strncasecmp(s, "false", 5) == 0) || (len == 1 && s[0] == '0')) {
                out->b = false;
                return 0;
            }
            return 1;
        }
        default:
            return 1;
        }
    case EDDY_SQL_V_RECORD:
    case EDDY_SQL_V_ARRAY:
        if (v->type == EDDY_SQL_V_STRING) {
            eddy_sql_value j;
            if (eddy_sql_json_value(v->s.p, v->s.len, arena, &j) != 0 || j.type != t) {
                return 1;
            }
            *out = j;
            return 0;
        }
        return 1;
    default:
        return 1;
    }
}

static int eval_cast(const eddy_sql_x *x, eddy_sql_xctx *c, eddy_sql_vec *a, uint32_t n,
                     eddy_sql_vec *out)
{
    eddy_sql_vtype t = eddy_sql_type_vtype(x->cast);
    if (a->type == EDDY_SQL_V_NULL) {
        null_vec(out, n);
        return 0;
    }
    if (a->type == t) {
        *out = *a;
        return 0;
    }
    bool k = a->constant;
    uint32_t m = k ? 1 : n;
    int rc;
    if (t == EDDY_SQL_V_DOUBLE && is_intlike(a->type)) {
        *out = *a;
        return to_double(c, out);
    }
    if ((rc = eddy_sql_vout_init(c, out, t, n, k))) {
        return rc;
    }
    for (uint32_t r = 0; r < m; r++) {
        eddy_sql_value v = eddy_sql_vec_get(a, r), res;
        if (v.type == EDDY_SQL_V_NULL) {
            continue;
        }
        rc = eddy_sql_cast_value(&v, t, c->arena, &res);
        if (rc == EDDY_ERR_NOMEM) {
            return eddy_sql_x_nomem(c);
        }
        if (rc) {
            if (x->try_) {
                continue;
            }
            eddy_buf b;
            eddy_buf_init(&b, 0);
            if (v.type == EDDY_SQL_V_STRING) {
                eddy_sql_json_put_str(&b, v.s.p, v.s.len > 64 ? 64 : v.s.len);
            } else {
                eddy_sql_value_json(&b, &v);
            }
            eddy_buf_put_u8(&b, 0);
            rc = eddy_sql_x_fail(x, c, "cannot convert %s %s to %s", eddy_sql_vtype_name(v.type),
                                 b.err ? "?" : (char *)b.data, eddy_sql_vtype_name(t));
            eddy_buf_deinit(&b);
            return rc;
        }
        eddy_sql_vout_put(out, r, &res);
    }
    return 0;
}

/* ---- records ----------------------------------------------------------- */

/* Follows names from a record value; *out gets the value (null when a
 * name is missing or a step is not a record). */
static int field_path(eddy_sql_xctx *c, eddy_sql_value v, const eddy_sql_str *names,
                      uint32_t nnames, eddy_sql_value *out)
{
    memset(out, 0, sizeof *out);
    for (uint32_t k = 0; k < nnames; k++) {
        if (v.type != EDDY_SQL_V_RECORD) {
            return 0;
        }
        eddy_sql_str m;
        if (eddy_sql_json_member(v.s.p, v.s.len, names[k].p, names[k].len, &m) != 1) {
            return 0;
        }
        int rc = eddy_sql_json_value(m.p, m.len, c->arena, &v);
        if (rc == EDDY_ERR_NOMEM) {
            return eddy_sql_x_nomem(c);
        }
        if (rc) {
            return 0;
        }
    }
    *out = v;
    return 0;
}

static int eval_field(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_vec *a, uint32_t n,
                      eddy_sql_vec *out)
{
    bool k = a->constant;
    uint32_t m = k ? 1 : n;
    int rc = eddy_sql_vout_init(c, out, EDDY_SQL_V_ANY, n, k);
    if (rc) {
        return rc;
    }
    for (uint32_t r = 0; r < m; r++) {
        eddy_sql_value v = eddy_sql_vec_get(a, r), res;
        if ((rc = field_path(c, v, x->names, x->nnames, &res))) {
            return rc;
        }
        eddy_sql_vout_put(out, r, &res);
    }
    return eddy_sql_vout_done(c, out);
}

static int eval_record(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_chunk *in,
                       eddy_sql_vec *out)
{
    uint32_t n = in->nrows;
    eddy_sql_vec *vals = eddy_arena_alloc(c->arena, sizeof(eddy_sql_vec) * (x->nargs + 1));
    if (!vals) {
        return eddy_sql_x_nomem(c);
    }
    int rc;
    for (uint32_t j = 0; j < x->nargs; j++) {
        if ((rc = eddy_sql_x_eval(x->args[j], c, in, &vals[j]))) {
            return rc;
        }
    }
    if ((rc = vnew(c, out, EDDY_SQL_V_RECORD, n, false))) {
        return rc;
    }
    eddy_buf b;
    eddy_buf_init(&b, 0);
    for (uint32_t r = 0; r < n; r++) {
        eddy_buf_reset(&b);
        eddy_buf_put_u8(&b, '{');
        bool first = true;
        for (uint32_t j = 0; j < x->nargs; j++) {
            eddy_sql_value v = eddy_sql_vec_get(&vals[j], r);
            if (v.type == EDDY_SQL_V_NULL) {
                continue;
            }
            if (!first) {
                eddy_buf_put_u8(&b, ',');
            }
            first = false;
            eddy_sql_json_put_str(&b, x->names[j].p, x->names[j].len);
            eddy_buf_put_u8(&b, ':');
            eddy_sql_value_json(&b, &v);
        }
        eddy_buf_put_u8(&b, '}');
        eddy_sql_value res;
        if (dup_text(c->arena, &b, &res, EDDY_SQL_V_RECORD) != 0) {
            eddy_buf_deinit(&b);
            return eddy_sql_x_nomem(c);
        }
        out->s[r] = res.s;
    }
    eddy_buf_deinit(&b);
    return 0;
}

static int eval_maxtime(eddy_sql_xctx *c, const eddy_sql_vec *a, const eddy_sql_vec *b, uint32_t n,
                        eddy_sql_vec *out)
{
    int rc = vnew(c, out, EDDY_SQL_V_TIME, n, false);
    if (rc) {
        return rc;
    }
    for (uint32_t r = 0; r < n; r++) {
        eddy_sql_value x = eddy_sql_vec_get(a, r), y = eddy_sql_vec_get(b, r);
        bool vx = x.type == EDDY_SQL_V_TIME, vy = y.type == EDDY_SQL_V_TIME;
        out->valid[r] = vx || vy;
        out->i[r] = vx && vy ? (x.i > y.i ? x.i : y.i) : vx ? x.i : vy ? y.i : 0;
    }
    return 0;
}

/* ---- the dispatcher ---------------------------------------------------- */

int eddy_sql_x_eval(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_chunk *in,
                    eddy_sql_vec *out)
{
    uint32_t n = in->nrows;
    int rc;
    eddy_sql_vec a, b;
    switch (x->kind) {
    case EDDY_SQL_X_CONST:
        eddy_sql_vec_const(out, &x->val, n);
        return 0;
    case EDDY_SQL_X_COL:
        if (x->col >= in->ncols) {
            return eddy_sql_x_fail(x, c, "internal error: column %u of %u", x->col, in->ncols);
        }
        *out = in->cols[x->col];
        out->n = n;
        return 0;
    case EDDY_SQL_X_FIELD:
        if ((rc = eddy_sql_x_eval(x->args[0], c, in, &a))) {
            return rc;
        }
        return eval_field(x, c, &a, n, out);
    case EDDY_SQL_X_UNARY:
        if ((rc = eddy_sql_x_eval(x->args[0], c, in, &a))) {
            return rc;
        }
        if (x->op == EDDY_SQL_OP_NOT) {
            return eval_not(c, &a, n, out);
        }
        return eval_neg(x, c, &a, n, out);
    case EDDY_SQL_X_BINARY:
        if (x->op == EDDY_SQL_OP_AND || x->op == EDDY_SQL_OP_OR) {
            return eval_logic(x, c, in, out);
        }
        if ((rc = eddy_sql_x_eval(x->args[0], c, in, &a)) ||
            (rc = eddy_sql_x_eval(x->args[1], c, in, &b))) {
            return rc;
        }
        switch (x->op) {
        case EDDY_SQL_OP_ADD:
        case EDDY_SQL_OP_SUB:
        case EDDY_SQL_OP_MUL:
        case EDDY_SQL_OP_DIV:
        case EDDY_SQL_OP_MOD:
            return arith(x, c, &a, &b, n, out);
        default:
            return compare(x->op, c, &a, &b, n, out);
        }
    case EDDY_SQL_X_CASE:
        return eval_case(x, c, in, out);
    case EDDY_SQL_X_CAST:
        if ((rc = eddy_sql_x_eval(x->args[0], c, in, &a))) {
            return rc;
        }
        return eval_cast(x, c, &a, n, out);
    case EDDY_SQL_X_IN:
        return eval_in(x, c, in, out);
    case EDDY_SQL_X_BETWEEN:
        return eval_between(x, c, in, out);
    case EDDY_SQL_X_LIKE:
        return eval_like(x, c, in, out);
    case EDDY_SQL_X_IS_NULL:
        if ((rc = eddy_sql_x_eval(x->args[0], c, in, &a))) {
            return rc;
        }
        return eval_is_null(x, c, &a, n, out);
    case EDDY_SQL_X_CALL: {
        eddy_sql_vec *args = eddy_arena_alloc(c->arena, sizeof(eddy_sql_vec) * (x->nargs + 1));
        if (!args) {
            return eddy_sql_x_nomem(c);
        }
        for (uint32_t j = 0; j < x->nargs; j++) {
            if ((rc = eddy_sql_x_eval(x->args[j], c, in, &args[j]))) {
                return rc;
            }
        }
        return eddy_sql_call_eval(x, c, n, args, out);
    }
    case EDDY_SQL_X_RECORD:
        return eval_record(x, c, in, out);
    case EDDY_SQL_X_MAXTIME:
        if ((rc = eddy_sql_x_eval(x->args[0], c, in, &a)) ||
            (rc = eddy_sql_x_eval(x->args[1], c, in, &b))) {
            return rc;
        }
        return eval_maxtime(c, &a, &b, n, out);
    }
    return eddy_sql_x_fail(x, c, "internal error: unknown expression");
}

int eddy_sql_x_select(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_chunk *in,
                      uint32_t *sel, uint32_t *nsel)
{
    eddy_sql_vec v;
    int rc = eddy_sql_x_eval(x, c, in, &v);
    if (rc) {
        return rc;
    }
    uint32_t k = 0, n = in->nrows;
    if (v.type == EDDY_SQL_V_BOOL && !v.constant) {
        if (v.valid) {
            for (uint32_t r = 0; r < n; r++) {
                sel[k] = r;
                k += v.b[r] & v.valid[r];
            }
        } else {
            for (uint32_t r = 0; r < n; r++) {
                sel[k] = r;
                k += v.b[r];
            }
        }
    } else {
        for (uint32_t r = 0; r < n; r++) {
            if (truth(&v, r) == T_TRUE) {
                sel[k++] = r;
            }
        }
    }
    *nsel = k;
    return 0;
}

/* ---- compile, release, equality ---------------------------------------- */

bool eddy_sql_x_is_const(const eddy_sql_x *x)
{
    if (x->kind == EDDY_SQL_X_COL) {
        return false;
    }
    if (x->kind == EDDY_SQL_X_CALL && x->fn == EDDY_SQL_FN_SYSTEM_TIMESTAMP) {
        return false;
    }
    for (uint32_t j = 0; j < x->nargs; j++) {
        if (!eddy_sql_x_is_const(x->args[j])) {
            return false;
        }
    }
    return true;
}

bool eddy_sql_x_equal(const eddy_sql_x *a, const eddy_sql_x *b)
{
    if (a->kind != b->kind || a->nargs != b->nargs || a->op != b->op || a->negated != b->negated ||
        a->try_ != b->try_ || a->has_else != b->has_else) {
        return false;
    }
    switch (a->kind) {
    case EDDY_SQL_X_CONST:
        if (a->val.type != b->val.type) {
            return false;
        }
        if (a->val.type == EDDY_SQL_V_NULL) {
            return true;
        }
        if (a->val.type == EDDY_SQL_V_DOUBLE) {
            if (a->val.d != b->val.d) {
                return false;
            }
        } else if (eddy_sql_value_order(&a->val, &b->val) != 0) {
            return false;
        }
        break;
    case EDDY_SQL_X_COL:
        if (a->input != b->input || a->local != b->local) {
            return false;
        }
        break;
    case EDDY_SQL_X_FIELD:
    case EDDY_SQL_X_RECORD:
        if (a->nnames != b->nnames) {
            return false;
        }
        for (uint32_t k = 0; k < a->nnames; k++) {
            if (a->names[k].len != b->names[k].len ||
                strncasecmp(a->names[k].p, b->names[k].p, a->names[k].len) != 0) {
                return false;
            }
        }
        break;
    case EDDY_SQL_X_CALL:
        if (a->fn != b->fn || a->unit != b->unit) {
            return false;
        }
        break;
    case EDDY_SQL_X_CAST:
        if (a->cast != b->cast) {
            return false;
        }
        break;
    default:
        break;
    }
    for (uint32_t j = 0; j < a->nargs; j++) {
        if (!eddy_sql_x_equal(a->args[j], b->args[j])) {
            return false;
        }
    }
    return true;
}

int eddy_sql_x_compile(eddy_sql_x *x, eddy_arena *arena, const char *text, size_t textlen,
                       eddy_sql_error *err)
{
    if (x->aux) {
        return 0;
    }
    if (x->kind == EDDY_SQL_X_LIKE && x->args[1]->kind == EDDY_SQL_X_CONST &&
        x->args[1]->val.type == EDDY_SQL_V_STRING &&
        (x->nargs < 3 || x->args[2]->kind == EDDY_SQL_X_CONST)) {
        int esc = -1;
        if (x->nargs > 2) {
            const eddy_sql_value *e = &x->args[2]->val;
            if (e->type != EDDY_SQL_V_NULL) {
                if (e->type != EDDY_SQL_V_STRING || e->s.len != 1) {
                    eddy_sql_error_set(err, EDDY_ERR_INVALID_ARG, text, textlen,
                                       x->args[2]->span.off, x->args[2]->span.len,
                                       "the ESCAPE of LIKE must be one character");
                    return EDDY_ERR_INVALID_ARG;
                }
                esc = (unsigned char)e->s.p[0];
            }
        }
        char msg[128];
        const eddy_sql_value *pv = &x->args[1]->val;
        x->aux = eddy_sql_like_compile(pv->s.p, pv->s.len, esc, arena, msg, sizeof msg);
        if (!x->aux) {
            eddy_sql_error_set(err, EDDY_ERR_INVALID_ARG, text, textlen, x->args[1]->span.off,
                               x->args[1]->span.len, "%s", msg);
            return EDDY_ERR_INVALID_ARG;
        }
    }
    if (x->kind == EDDY_SQL_X_CALL && x->fn == EDDY_SQL_FN_REGEXMATCH &&
        x->args[1]->kind == EDDY_SQL_X_CONST && x->args[1]->val.type == EDDY_SQL_V_STRING) {
        char msg[128];
        regex_t *re = eddy_sql_regex_compile(&x->args[1]->val.s, msg, sizeof msg);
        if (!re) {
            eddy_sql_error_set(err, EDDY_ERR_INVALID_ARG, text, textlen, x->args[1]->span.off,
                               x->args[1]->span.len, "%s", msg);
            return EDDY_ERR_INVALID_ARG;
        }
        x->aux = re;
    }
    return 0;
}

void eddy_sql_x_release(eddy_sql_x *x)
{
    if (x->kind == EDDY_SQL_X_CALL && x->fn == EDDY_SQL_FN_REGEXMATCH && x->aux) {
        regfree(x->aux);
        free(x->aux);
        x->aux = NULL;
    }
}
