/* The binder: syntax tree to plan (see bind.h).
 *
 * A statement is bound SELECT by SELECT: first its inputs (sources are
 * opened here so that their columns are known), then ON, WHERE, GROUP BY,
 * the select list, HAVING and ORDER BY. Expressions are bound in a scope:
 *
 *   PRE    the joined row of the SELECT's inputs (WHERE, ON, GROUP BY keys,
 *          aggregate arguments, the select list of a plain query);
 *   POST   the aggregate's row (select list, HAVING and ORDER BY of an
 *          aggregate query): an aggregate call becomes a column of it, a
 *          sub-expression equal to a GROUP BY key becomes that key, and a
 *          column outside both is an error;
 *   OUTPUT the statement's output row (ORDER BY of a UNION).
 *
 * Column references are bound to (input, column of that input) while the
 * projection of each source grows, and fixed up to chunk positions once
 * the SELECT is complete. Constant sub-expressions are folded by running
 * the evaluator over a one-row chunk; a fold that fails (1/0 in a branch
 * never taken) leaves the expression to run time. */
#include "sql/bind.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/error.h"
#include "sql/expr_int.h"
#include "sql/print.h"
#include "sql/value.h"

/* COL nodes of POST and OUTPUT scopes address their row directly. */
#define INPUT_DIRECT 0xFFFE

typedef struct binder {
    eddy_sql_plan *plan;
    eddy_arena *A;
    const char *text;
    size_t len;
    eddy_sql_error *err;
    const eddy_sql_bind_opts *opts;
    const eddy_sql_query *q;
    uint32_t nvisible; /* steps a FROM may name */
} binder;

typedef enum scope_kind { SC_PRE, SC_POST, SC_OUTPUT } scope_kind;

typedef struct scope {
    scope_kind kind;
    binder *b;
    eddy_sql_select_plan *sel; /* PRE, POST */
    uint32_t nin;              /* PRE: inputs 0..nin-1 are visible */
    int only;                  /* PRE: only this input (TIMESTAMP BY), or -1 */
    const char *noagg;         /* where aggregates are refused: "WHERE", ... */
    bool has_time;             /* the SELECT's rows have an event time */
    bool in_timestamp;         /* binding TIMESTAMP BY */
    uint32_t capaggs;
    /* ORDER BY of a plain SELECT: output aliases stand for their items */
    const char **alias_names;
    eddy_sql_x **alias_x;
    uint32_t nalias;
    /* OUTPUT */
    const eddy_sql_stmt_plan *stmt;
} scope;

static int fail(binder *b, eddy_sql_span sp, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(binder *b, eddy_sql_span sp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    eddy_sql_error_setv(b->err, EDDY_ERR_INVALID_ARG, b->text, b->len, sp.off, sp.len, fmt, ap);
    va_end(ap);
    return EDDY_ERR_INVALID_ARG;
}

static int nomem(binder *b)
{
    eddy_sql_error_set(b->err, EDDY_ERR_NOMEM, b->text, b->len, 0, 0, "out of memory");
    return EDDY_ERR_NOMEM;
}

/* Grows an arena array of elem-sized items to hold n + 1. */
static int grow(binder *b, void **arr, uint32_t n, uint32_t *cap, size_t elem)
{
    if (n < *cap) {
        return 0;
    }
    uint32_t nc = *cap ? *cap * 2 : 8;
    void *p = eddy_arena_alloc(b->A, elem * nc);
    if (!p) {
        return nomem(b);
    }
    if (n) {
        memcpy(p, *arr, elem * n);
    }
    *arr = p;
    *cap = nc;
    return 0;
}

static eddy_sql_x *new_x(binder *b, eddy_sql_xkind kind, eddy_sql_span span, uint32_t nargs)
{
    eddy_sql_x *x = eddy_arena_calloc(b->A, 1, sizeof *x);
    if (!x) {
        return NULL;
    }
    x->kind = kind;
    x->span = span;
    x->type = EDDY_SQL_V_ANY;
    x->nargs = nargs;
    if (nargs) {
        x->args = eddy_arena_calloc(b->A, nargs, sizeof *x->args);
        if (!x->args) {
            return NULL;
        }
    }
    return x;
}

static eddy_sql_x *direct_col(binder *b, eddy_sql_span span, uint32_t col, eddy_sql_vtype t)
{
    eddy_sql_x *x = new_x(b, EDDY_SQL_X_COL, span, 0);
    if (x) {
        x->input = INPUT_DIRECT;
        x->local = col;
        x->col = col;
        x->type = t;
    }
    return x;
}

static eddy_sql_x *const_null(binder *b, eddy_sql_span span, eddy_sql_vtype t)
{
    eddy_sql_x *x = new_x(b, EDDY_SQL_X_CONST, span, 0);
    if (x) {
        x->type = t;
    }
    return x;
}

static bool ieq(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && strncasecmp(a, b, alen) == 0;
}

/* ---- types ------------------------------------------------------------- */

static bool known(eddy_sql_vtype t)
{
    return t != EDDY_SQL_V_ANY && t != EDDY_SQL_V_NULL;
}

static bool numeric(eddy_sql_vtype t)
{
    return t == EDDY_SQL_V_INT || t == EDDY_SQL_V_DOUBLE || t == EDDY_SQL_V_BOOL;
}

static bool comparable(eddy_sql_vtype a, eddy_sql_vtype b)
{
    if (!known(a) || !known(b)) {
        return true;
    }
    if (numeric(a) && numeric(b)) {
        return true;
    }
    if (a == EDDY_SQL_V_STRING && b == EDDY_SQL_V_STRING) {
        return true;
    }
    if (a == EDDY_SQL_V_TIME && (b == EDDY_SQL_V_TIME || b == EDDY_SQL_V_STRING)) {
        return true;
    }
    if (b == EDDY_SQL_V_TIME && a == EDDY_SQL_V_STRING) {
        return true;
    }
    return false;
}

static const char *tname(eddy_sql_vtype t)
{
    return eddy_sql_vtype_name(t);
}

/* The type both of two branches fit (CASE, UNION). */
static eddy_sql_vtype unify(eddy_sql_vtype a, eddy_sql_vtype b)
{
    if (a == EDDY_SQL_V_NULL) {
        return b;
    }
    if (b == EDDY_SQL_V_NULL) {
        return a;
    }
    if (a == b) {
        return a;
    }
    if (numeric(a) && numeric(b)) {
        if (a == EDDY_SQL_V_DOUBLE || b == EDDY_SQL_V_DOUBLE) {
            return EDDY_SQL_V_DOUBLE;
        }
        return EDDY_SQL_V_INT;
    }
    return EDDY_SQL_V_ANY;
}

/* ---- folding and compiling --------------------------------------------- */

static int fold(binder *b, eddy_sql_x **xp)
{
    eddy_sql_x *x = *xp;
    if (x->kind == EDDY_SQL_X_CONST || !eddy_sql_x_is_const(x)) {
        return 0;
    }
    eddy_arena tmp;
    eddy_arena_init(&tmp, 0, 0);
    eddy_sql_error e;
    memset(&e, 0, sizeof e);
    eddy_sql_xctx c = {.arena = &tmp, .err = &e, .text = b->text, .textlen = b->len};
    eddy_sql_chunk one = {.nrows = 1, .ncols = 0, .cols = NULL, .arena = &tmp};
    eddy_sql_vec v;
    int rc = eddy_sql_x_eval(x, &c, &one, &v);
    if (rc == 0) {
        eddy_sql_value val = eddy_sql_vec_get(&v, 0);
        eddy_sql_x *k = new_x(b, EDDY_SQL_X_CONST, x->span, 0);
        if (!k || eddy_sql_value_dup(&k->val, &val, b->A) != 0) {
            eddy_arena_deinit(&tmp);
            return nomem(b);
        }
        k->type = val.type == EDDY_SQL_V_NULL ? x->type : val.type;
        if (x->type == EDDY_SQL_V_DOUBLE && (val.type == EDDY_SQL_V_INT)) {
            k->val.type = EDDY_SQL_V_DOUBLE;
            k->val.d = (double)val.i;
            k->type = EDDY_SQL_V_DOUBLE;
        }
        *xp = k;
    }
    eddy_arena_deinit(&tmp);
    return 0;
}

static int compile(binder *b, eddy_sql_x *x)
{
    if (x->aux) {
        return 0;
    }
    int rc = eddy_sql_x_compile(x, b->A, b->text, b->len, b->err);
    if (rc) {
        return rc;
    }
    if (x->kind == EDDY_SQL_X_CALL && x->aux) {
        eddy_sql_plan *p = b->plan;
        if (grow(b, (void **)&p->compiled, p->ncompiled, &p->capcompiled, sizeof(eddy_sql_x *))) {
            eddy_sql_x_release(x);
            return EDDY_ERR_NOMEM;
        }
        p->compiled[p->ncompiled++] = x;
    }
    return 0;
}

/* ---- walking the syntax tree ------------------------------------------- */

static bool ast_has_agg(const eddy_sql_expr *e)
{
    if (!e) {
        return false;
    }
    switch (e->kind) {
    case EDDY_SQL_EXPR_CALL:
        if (e->call.func->kind == EDDY_SQL_FUNC_AGGREGATE) {
            return true;
        }
        for (uint32_t i = 0; i < e->call.nargs; i++) {
            if (ast_has_agg(e->call.args[i])) {
                return true;
            }
        }
        return false;
    case EDDY_SQL_EXPR_UNARY:
        return ast_has_agg(e->unary.arg);
    case EDDY_SQL_EXPR_BINARY:
        return ast_has_agg(e->binary.left) || ast_has_agg(e->binary.right);
    case EDDY_SQL_EXPR_CASE:
        if (ast_has_agg(e->case_.operand) || ast_has_agg(e->case_.else_)) {
            return true;
        }
        for (uint32_t i = 0; i < e->case_.nwhens; i++) {
            if (ast_has_agg(e->case_.whens[i].cond) || ast_has_agg(e->case_.whens[i].result)) {
                return true;
            }
        }
        return false;
    case EDDY_SQL_EXPR_CAST:
        return ast_has_agg(e->cast.arg);
    case EDDY_SQL_EXPR_IN:
        if (ast_has_agg(e->in.arg)) {
            return true;
        }
        for (uint32_t i = 0; i < e->in.nlist; i++) {
            if (ast_has_agg(e->in.list[i])) {
                return true;
            }
        }
        return false;
    case EDDY_SQL_EXPR_BETWEEN:
        return ast_has_agg(e->between.arg) || ast_has_agg(e->between.lo) ||
               ast_has_agg(e->between.hi);
    case EDDY_SQL_EXPR_LIKE:
        return ast_has_agg(e->like.arg) || ast_has_agg(e->like.pattern) ||
               ast_has_agg(e->like.escape);
    case EDDY_SQL_EXPR_IS_NULL:
        return ast_has_agg(e->is_null.arg);
    default:
        return false;
    }
}

static bool x_reads_columns(const eddy_sql_x *x)
{
    if (x->kind == EDDY_SQL_X_COL) {
        return true;
    }
    for (uint32_t i = 0; i < x->nargs; i++) {
        if (x_reads_columns(x->args[i])) {
            return true;
        }
    }
    return false;
}

/* The inputs a PRE expression reads, as a bit set; ALL (the row's time)
 * reads every input. */
static uint64_t x_inputs(const eddy_sql_x *x)
{
    uint64_t m = 0;
    if (x->kind == EDDY_SQL_X_COL && x->input != INPUT_DIRECT) {
        m |= x->input == EDDY_SQL_INPUT_ALL ? ~(uint64_t)0 : (uint64_t)1 << x->input;
    }
    for (uint32_t i = 0; i < x->nargs; i++) {
        m |= x_inputs(x->args[i]);
    }
    return m;
}

/* ---- inputs and columns ------------------------------------------------ */

static int input_find_col(const eddy_sql_input *in, const char *name, size_t len)
{
    const char *const *names = in->kind == EDDY_SQL_INPUT_SOURCE ? in->known : in->colnames;
    size_t n = in->kind == EDDY_SQL_INPUT_SOURCE ? in->nknown : in->ncols;
    if (in->kind == EDDY_SQL_INPUT_ONE) {
        return -1;
    }
    int ci = -1;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(names[i]);
        if (l == len && memcmp(names[i], name, len) == 0) {
            return (int)i;
        }
        if (ci < 0 && ieq(names[i], l, name, len)) {
            ci = (int)i;
        }
    }
    return ci;
}

/* Adds (or finds) the path parts[0..n) in a SOURCE input's projection;
 * *local gets its column. */
static int request_path(binder *b, eddy_sql_input *in, const char *const *parts,
                        const uint32_t *lens, uint32_t n, uint32_t *local)
{
    for (uint32_t c = 0; c < in->ncols; c++) {
        const eddy_sql_src_col *p = &in->paths[c];
        if (p->nparts != n) {
            continue;
        }
        bool same = true;
        for (uint32_t k = 0; k < n && same; k++) {
            same = p->lens[k] == lens[k] && memcmp(p->parts[k], parts[k], lens[k]) == 0;
        }
        if (same) {
            *local = c;
            return 0;
        }
    }
    uint32_t cap = in->ncols; /* arrays are grown one by one */
    eddy_sql_src_col *np = eddy_arena_alloc(b->A, sizeof *np * (cap + 1));
    const char **nn = eddy_arena_alloc(b->A, sizeof *nn * (cap + 1));
    eddy_sql_vtype *nt = eddy_arena_alloc(b->A, sizeof *nt * (cap + 1));
    const char **pp = eddy_arena_alloc(b->A, sizeof *pp * n);
    uint32_t *ll = eddy_arena_alloc(b->A, sizeof *ll * n);
    if (!np || !nn || !nt || !pp || !ll) {
        return nomem(b);
    }
    if (cap) {
        memcpy(np, in->paths, sizeof *np * cap);
        memcpy(nn, in->colnames, sizeof *nn * cap);
        memcpy(nt, in->coltypes, sizeof *nt * cap);
    }
    eddy_buf joined;
    eddy_buf_init(&joined, 0);
    for (uint32_t k = 0; k < n; k++) {
        pp[k] = eddy_arena_strndup(b->A, parts[k], lens[k]);
        ll[k] = lens[k];
        if (!pp[k]) {
            eddy_buf_deinit(&joined);
            return nomem(b);
        }
        if (k) {
            eddy_buf_put_u8(&joined, '.');
        }
        eddy_buf_append(&joined, parts[k], lens[k]);
    }
    np[cap].parts = pp;
    np[cap].lens = ll;
    np[cap].nparts = n;
    nn[cap] = eddy_arena_strndup(b->A, joined.data ? (const char *)joined.data : "", joined.len);
    eddy_buf_deinit(&joined);
    if (!nn[cap]) {
        return nomem(b);
    }
    nt[cap] = EDDY_SQL_V_ANY;
    in->paths = np;
    in->colnames = nn;
    in->coltypes = nt;
    *local = in->ncols++;
    return 0;
}

/* A column of input i (of sel) by path: COL, and FIELD for the parts a
 * step's record column is reached into. */
static int col_in_input(scope *sc, uint32_t i, const eddy_sql_ident *parts, uint32_t n,
                        eddy_sql_span span, eddy_sql_x **out)
{
    binder *b = sc->b;
    eddy_sql_input *in = &sc->sel->inputs[i];
    eddy_sql_x *x = new_x(b, EDDY_SQL_X_COL, span, 0);
    if (!x) {
        return nomem(b);
    }
    x->input = (uint16_t)i;
    uint32_t rest = 0;
    if (in->kind == EDDY_SQL_INPUT_SOURCE) {
        const char *pp[64];
        uint32_t ll[64];
        if (n > 64) {
            return fail(b, span, "a column path has at most 64 parts");
        }
        for (uint32_t k = 0; k < n; k++) {
            pp[k] = parts[k].str;
            ll[k] = parts[k].len;
        }
        int c = input_find_col(in, parts[0].str, parts[0].len);
        if (c >= 0) {
            pp[0] = in->known[c]; /* the source's spelling */
            ll[0] = (uint32_t)strlen(in->known[c]);
        }
        int rc = request_path(b, in, pp, ll, n, &x->local);
        if (rc) {
            return rc;
        }
        x->type = EDDY_SQL_V_ANY;
    } else {
        int c = input_find_col(in, parts[0].str, parts[0].len);
        if (c < 0) {
            return fail(b, parts[0].span, "unknown column '%.*s'", (int)parts[0].len, parts[0].str);
        }
        x->local = (uint32_t)c;
        x->type = in->coltypes[c];
        rest = n - 1;
    }
    if (rest > 0) {
        eddy_sql_x *f = new_x(b, EDDY_SQL_X_FIELD, span, 1);
        eddy_sql_str *names = eddy_arena_alloc(b->A, sizeof *names * rest);
        if (!f || !names) {
            return nomem(b);
        }
        for (uint32_t k = 0; k < rest; k++) {
            names[k].p = parts[1 + k].str;
            names[k].len = parts[1 + k].len;
        }
        f->args[0] = x;
        f->names = names;
        f->nnames = rest;
        f->type = EDDY_SQL_V_ANY;
        x = f;
    }
    *out = x;
    return 0;
}

static bool input_visible(const scope *sc, uint32_t i)
{
    return sc->only >= 0 ? (int)i == sc->only : i < sc->nin;
}

/* "unknown column 'x'; did you mean 'y'?" over the visible inputs. */
static int unknown_column(scope *sc, const eddy_sql_ident *id, const char *where)
{
    binder *b = sc->b;
    const char *names[512];
    size_t n = 0;
    for (uint32_t i = 0; i < sc->sel->ninputs; i++) {
        if (!input_visible(sc, i)) {
            continue;
        }
        const eddy_sql_input *in = &sc->sel->inputs[i];
        const char *const *cn = in->kind == EDDY_SQL_INPUT_SOURCE ? in->known : in->colnames;
        size_t cnt = in->kind == EDDY_SQL_INPUT_SOURCE ? in->nknown : in->ncols;
        if (in->kind == EDDY_SQL_INPUT_ONE) {
            cnt = 0;
        }
        for (size_t k = 0; k < cnt && n < 512; k++) {
            names[n++] = cn[k];
        }
    }
    for (uint32_t k = 0; k < sc->nalias && n < 512; k++) {
        names[n++] = sc->alias_names[k];
    }
    long near = eddy_sql_nearest(id->str, id->len, names, n);
    if (near >= 0) {
        return fail(b, id->span, "unknown column '%.*s'%s; did you mean '%s'?", (int)id->len,
                    id->str, where, names[near]);
    }
    return fail(b, id->span, "unknown column '%.*s'%s", (int)id->len, id->str, where);
}

static int bind_column(scope *sc, const eddy_sql_expr *e, eddy_sql_x **out)
{
    binder *b = sc->b;
    const eddy_sql_ident *parts = e->column.parts;
    uint32_t n = e->column.nparts;
    if (sc->kind == SC_OUTPUT) {
        const eddy_sql_stmt_plan *st = sc->stmt;
        for (uint32_t i = 0; i < st->ncols; i++) {
            if (ieq(st->names[i], strlen(st->names[i]), parts[0].str, parts[0].len) && n == 1) {
                *out = direct_col(b, e->span, i, st->types[i]);
                return *out ? 0 : nomem(b);
            }
        }
        long near = eddy_sql_nearest(parts[0].str, parts[0].len, st->names, st->ncols);
        if (near >= 0) {
            return fail(b, parts[0].span,
                        "ORDER BY of a UNION must name an output column: unknown column "
                        "'%.*s'; did you mean '%s'?",
                        (int)parts[0].len, parts[0].str, st->names[near]);
        }
        return fail(b, parts[0].span,
                    "ORDER BY of a UNION must name an output column: unknown column '%.*s'",
                    (int)parts[0].len, parts[0].str);
    }
    eddy_sql_select_plan *sel = sc->sel;
    /* a qualifier: an input's alias or name */
    if (n >= 2) {
        for (uint32_t i = 0; i < sel->ninputs; i++) {
            const eddy_sql_input *in = &sel->inputs[i];
            if (in->name && ieq(in->name, in->name_len, parts[0].str, parts[0].len)) {
                if (!input_visible(sc, i)) {
                    return fail(b, parts[0].span, "input '%.*s' cannot be used here",
                                (int)parts[0].len, parts[0].str);
                }
                if (in->kind == EDDY_SQL_INPUT_SOURCE && in->nknown > 0 &&
                    in->opts.kind != EDDY_SQL_SRC_HUB &&
                    input_find_col(in, parts[1].str, parts[1].len) < 0) {
                    scope one = *sc;
                    one.only = (int)i;
                    char where[160];
                    snprintf(where, sizeof where, " in '%.*s'", (int)in->name_len, in->name);
                    return unknown_column(&one, &parts[1], where);
                }
                if (in->kind == EDDY_SQL_INPUT_STEP &&
                    input_find_col(in, parts[1].str, parts[1].len) < 0) {
                    scope one = *sc;
                    one.only = (int)i;
                    char where[160];
                    snprintf(where, sizeof where, " in '%.*s'", (int)in->name_len, in->name);
                    return unknown_column(&one, &parts[1], where);
                }
                return col_in_input(sc, i, parts + 1, n - 1, e->span, out);
            }
        }
    }
    /* unqualified: the inputs that know the name */
    int found = -1, nfound = 0;
    for (uint32_t i = 0; i < sel->ninputs; i++) {
        if (!input_visible(sc, i)) {
            continue;
        }
        if (input_find_col(&sel->inputs[i], parts[0].str, parts[0].len) >= 0) {
            if (nfound == 0) {
                found = (int)i;
            }
            nfound++;
        }
    }
    if (nfound > 1) {
        return fail(b, parts[0].span,
                    "ambiguous column '%.*s': more than one input has it; qualify it with "
                    "the input's name",
                    (int)parts[0].len, parts[0].str);
    }
    if (nfound == 1) {
        return col_in_input(sc, (uint32_t)found, parts, n, e->span, out);
    }
    /* an output alias (ORDER BY of a plain SELECT) */
    if (n == 1) {
        for (uint32_t k = 0; k < sc->nalias; k++) {
            if (ieq(sc->alias_names[k], strlen(sc->alias_names[k]), parts[0].str, parts[0].len)) {
                *out = sc->alias_x[k];
                return 0;
            }
        }
    }
    /* a source whose columns are not known up front takes any name */
    uint32_t nvis = 0, last = 0;
    bool open = false;
    for (uint32_t i = 0; i < sel->ninputs; i++) {
        if (input_visible(sc, i)) {
            nvis++;
            last = i;
            const eddy_sql_input *in = &sel->inputs[i];
            open = in->kind == EDDY_SQL_INPUT_SOURCE &&
                   (in->nknown == 0 || in->opts.kind == EDDY_SQL_SRC_HUB);
        }
    }
    if (nvis == 1 && open) {
        return col_in_input(sc, last, parts, n, e->span, out);
    }
    return unknown_column(sc, &parts[0], "");
}

/* Every column of the visible inputs (or of input only >= 0): *xs and
 * *names (n). Sources request their known columns. */
static int all_columns(scope *sc, int only, eddy_sql_span span, eddy_sql_x ***xs,
                       const char ***names, uint32_t *n)
{
    binder *b = sc->b;
    eddy_sql_select_plan *sel = sc->sel;
    uint32_t total = 0;
    for (uint32_t i = 0; i < sel->ninputs; i++) {
        const eddy_sql_input *in = &sel->inputs[i];
        if (only >= 0 && (int)i != only) {
            continue;
        }
        total += in->kind == EDDY_SQL_INPUT_SOURCE ? (uint32_t)in->nknown
                 : in->kind == EDDY_SQL_INPUT_STEP ? in->ncols
                                                   : 0;
    }
    *xs = eddy_arena_alloc(b->A, sizeof **xs * (total + 1));
    *names = eddy_arena_alloc(b->A, sizeof **names * (total + 1));
    if (!*xs || !*names) {
        return nomem(b);
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < sel->ninputs; i++) {
        eddy_sql_input *in = &sel->inputs[i];
        if (only >= 0 && (int)i != only) {
            continue;
        }
        if (in->kind == EDDY_SQL_INPUT_SOURCE) {
            for (size_t c = 0; c < in->nknown; c++) {
                eddy_sql_ident id = {
                    .str = in->known[c], .len = (uint32_t)strlen(in->known[c]), .span = span};
                int rc = col_in_input(sc, i, &id, 1, span, &(*xs)[k]);
                if (rc) {
                    return rc;
                }
                (*names)[k++] = in->known[c];
            }
        } else if (in->kind == EDDY_SQL_INPUT_STEP) {
            uint32_t nc = in->ncols;
            for (uint32_t c = 0; c < nc; c++) {
                eddy_sql_x *x = new_x(b, EDDY_SQL_X_COL, span, 0);
                if (!x) {
                    return nomem(b);
                }
                x->input = (uint16_t)i;
                x->local = c;
                x->type = in->coltypes[c];
                (*xs)[k] = x;
                (*names)[k++] = in->colnames[c];
            }
        }
    }
    *n = k;
    return 0;
}

/* The whole row as a record (TopOne, Collect()). */
static int row_record(scope *sc, eddy_sql_span span, eddy_sql_x **out)
{
    binder *b = sc->b;
    eddy_sql_x **xs;
    const char **names;
    uint32_t n;
    int rc = all_columns(sc, -1, span, &xs, &names, &n);
    if (rc) {
        return rc;
    }
    eddy_sql_x *r = new_x(b, EDDY_SQL_X_RECORD, span, 0);
    eddy_sql_str *ns = eddy_arena_alloc(b->A, sizeof *ns * (n + 1));
    if (!r || !ns) {
        return nomem(b);
    }
    /* the first of equal names wins */
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool dup = false;
        for (uint32_t j = 0; j < k && !dup; j++) {
            dup = ns[j].len == strlen(names[i]) && memcmp(ns[j].p, names[i], ns[j].len) == 0;
        }
        if (dup) {
            continue;
        }
        xs[k] = xs[i];
        ns[k].p = names[i];
        ns[k].len = (uint32_t)strlen(names[i]);
        k++;
    }
    r->args = xs;
    r->nargs = k;
    r->names = ns;
    r->nnames = k;
    r->type = EDDY_SQL_V_RECORD;
    *out = r;
    return 0;
}

/* ---- expressions ------------------------------------------------------- */

static int bind_expr(scope *sc, const eddy_sql_expr *e, eddy_sql_x **out);

static int bind_agg(scope *sc, const eddy_sql_expr *e, eddy_sql_x **out);

static int time_col(scope *sc, eddy_sql_span span, eddy_sql_x **out)
{
    binder *b = sc->b;
    if (sc->in_timestamp) {
        return fail(b, span, "System.Timestamp() cannot be used in TIMESTAMP BY");
    }
    if (!sc->has_time) {
        return fail(b, span,
                    "System.Timestamp() needs an event time: add TIMESTAMP BY to the input "
                    "(a file has no event time of its own)");
    }
    eddy_sql_x *x = new_x(b, EDDY_SQL_X_COL, span, 0);
    if (!x) {
        return nomem(b);
    }
    x->input = EDDY_SQL_INPUT_ALL;
    x->local = EDDY_SQL_COL_TIME;
    x->type = EDDY_SQL_V_TIME;
    *out = x;
    return 0;
}

/* The argument kinds of scalar functions: S string, I integer, N number,
 * T datetime (or an ISO-8601 string), R record, A array, X anything; the
 * result: a type, or V_NULL for "the type of the first argument". */
typedef struct sig {
    eddy_sql_func_id fn;
    const char *args;
    eddy_sql_vtype ret;
} sig;

static const sig sigs[] = {
    {EDDY_SQL_FN_LEN, "S", EDDY_SQL_V_INT},
    {EDDY_SQL_FN_SUBSTRING, "SII", EDDY_SQL_V_STRING},
    {EDDY_SQL_FN_UPPER, "S", EDDY_SQL_V_STRING},
    {EDDY_SQL_FN_LOWER, "S", EDDY_SQL_V_STRING},
    {EDDY_SQL_FN_CONCAT, "", EDDY_SQL_V_STRING},
    {EDDY_SQL_FN_CHARINDEX, "SSI", EDDY_SQL_V_INT},
    {EDDY_SQL_FN_REPLACE, "SSS", EDDY_SQL_V_STRING},
    {EDDY_SQL_FN_TRIM, "S", EDDY_SQL_V_STRING},
    {EDDY_SQL_FN_REGEXMATCH, "SS", EDDY_SQL_V_INT},
    {EDDY_SQL_FN_ABS, "N", EDDY_SQL_V_NULL},
    {EDDY_SQL_FN_ROUND, "NII", EDDY_SQL_V_NULL},
    {EDDY_SQL_FN_FLOOR, "N", EDDY_SQL_V_NULL},
    {EDDY_SQL_FN_CEILING, "N", EDDY_SQL_V_NULL},
    {EDDY_SQL_FN_POWER, "NN", EDDY_SQL_V_DOUBLE},
    {EDDY_SQL_FN_SQRT, "N", EDDY_SQL_V_DOUBLE},
    {EDDY_SQL_FN_LOG, "NN", EDDY_SQL_V_DOUBLE},
    {EDDY_SQL_FN_EXP, "N", EDDY_SQL_V_DOUBLE},
    {EDDY_SQL_FN_DATEADD, "IT", EDDY_SQL_V_TIME},
    {EDDY_SQL_FN_DATEDIFF, "TT", EDDY_SQL_V_INT},
    {EDDY_SQL_FN_DATEPART, "T", EDDY_SQL_V_INT},
    {EDDY_SQL_FN_YEAR, "T", EDDY_SQL_V_INT},
    {EDDY_SQL_FN_MONTH, "T", EDDY_SQL_V_INT},
    {EDDY_SQL_FN_DAY, "T", EDDY_SQL_V_INT},
    {EDDY_SQL_FN_DATETIMEFROMPARTS, "IIIIIII", EDDY_SQL_V_TIME},
    {EDDY_SQL_FN_GETRECORDPROPERTYVALUE, "RS", EDDY_SQL_V_ANY},
    {EDDY_SQL_FN_GETARRAYELEMENT, "AI", EDDY_SQL_V_ANY},
    {EDDY_SQL_FN_GETARRAYLENGTH, "A", EDDY_SQL_V_INT},
};

static bool kind_ok(char k, eddy_sql_vtype t)
{
    if (!known(t)) {
        return true;
    }
    switch (k) {
    case 'S':
        return t == EDDY_SQL_V_STRING;
    case 'I':
    case 'N':
        return numeric(t);
    case 'T':
        return t == EDDY_SQL_V_TIME || t == EDDY_SQL_V_STRING;
    case 'R':
        return t == EDDY_SQL_V_RECORD;
    case 'A':
        return t == EDDY_SQL_V_ARRAY;
    default:
        return true;
    }
}

static const char *kind_name(char k)
{
    switch (k) {
    case 'S':
        return "nvarchar(max)";
    case 'I':
        return "bigint";
    case 'N':
        return "a number (bigint or float)";
    case 'T':
        return "datetime";
    case 'R':
        return "record";
    case 'A':
        return "array";
    default:
        return "a value";
    }
}

/* DATEDIFF(unit, a, b) with input names (a join's time bound): the
 * inputs' event times. Returns 1 when arg is not such a name. */
static int input_time_arg(scope *sc, const eddy_sql_expr *arg, eddy_sql_x **out)
{
    if (sc->kind != SC_PRE || arg->kind != EDDY_SQL_EXPR_COLUMN || arg->column.nparts != 1) {
        return 1;
    }
    const eddy_sql_ident *id = &arg->column.parts[0];
    eddy_sql_select_plan *sel = sc->sel;
    for (uint32_t i = 0; i < sel->ninputs; i++) {
        const eddy_sql_input *in = &sel->inputs[i];
        if (!in->name || !input_visible(sc, i) || !ieq(in->name, in->name_len, id->str, id->len)) {
            continue;
        }
        if (!in->has_time) {
            return fail(sc->b, arg->span,
                        "input '%.*s' has no event time: add TIMESTAMP BY to it (a file has no "
                        "event time of its own)",
                        (int)id->len, id->str);
        }
        eddy_sql_x *x = new_x(sc->b, EDDY_SQL_X_COL, arg->span, 0);
        if (!x) {
            return nomem(sc->b);
        }
        x->input = (uint16_t)i;
        x->local = EDDY_SQL_COL_TIME;
        x->type = EDDY_SQL_V_TIME;
        *out = x;
        return 0;
    }
    return 1;
}

static int bind_call(scope *sc, const eddy_sql_expr *e, eddy_sql_x **out)
{
    binder *b = sc->b;
    const eddy_sql_func *f = e->call.func;
    if (f->kind == EDDY_SQL_FUNC_AGGREGATE) {
        if (sc->kind == SC_POST) {
            return bind_agg(sc, e, out);
        }
        return fail(b, e->span, "aggregate %s is not allowed in %s", f->name,
                    sc->noagg ? sc->noagg : "this query");
    }
    if (f->id == EDDY_SQL_FN_SYSTEM_TIMESTAMP) {
        return time_col(sc, e->span, out);
    }
    if (f->kind != EDDY_SQL_FUNC_SCALAR) {
        return fail(b, e->span, "%s cannot be used in an expression", f->name);
    }
    uint32_t first = 0;
    eddy_sql_unit unit = EDDY_SQL_UNIT_SECOND;
    if (f->flags & EDDY_SQL_F_DATEPART) {
        if (e->call.nargs == 0 || e->call.args[0]->kind != EDDY_SQL_EXPR_DATEPART) {
            return fail(b, e->span, "%s needs a time unit first", f->name);
        }
        unit = e->call.args[0]->datepart.unit;
        first = 1;
    }
    uint32_t nargs = e->call.nargs - first;
    eddy_sql_x *x = new_x(b, EDDY_SQL_X_CALL, e->span, nargs);
    if (!x) {
        return nomem(b);
    }
    x->fn = f->id;
    x->unit = unit;
    const sig *s = NULL;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        if (sigs[i].fn == f->id) {
            s = &sigs[i];
        }
    }
    if (!s) {
        return fail(b, e->span, "%s cannot be evaluated", f->name);
    }
    for (uint32_t i = 0; i < nargs; i++) {
        int rc = f->id == EDDY_SQL_FN_DATEDIFF
                     ? input_time_arg(sc, e->call.args[first + i], &x->args[i])
                     : 1;
        if (rc == 1) {
            rc = bind_expr(sc, e->call.args[first + i], &x->args[i]);
        }
        if (rc) {
            return rc;
        }
        char k = i < strlen(s->args) ? s->args[i] : 'X';
        if (!kind_ok(k, x->args[i]->type)) {
            return fail(b, e->call.args[first + i]->span, "argument %u of %s must be %s, found %s",
                        i + 1, f->name, kind_name(k), tname(x->args[i]->type));
        }
    }
    if (s->ret == EDDY_SQL_V_NULL) {
        eddy_sql_vtype t0 = x->args[0]->type;
        x->type = t0 == EDDY_SQL_V_BOOL ? EDDY_SQL_V_INT : known(t0) ? t0 : EDDY_SQL_V_ANY;
    } else {
        x->type = s->ret;
    }
    if (f->id == EDDY_SQL_FN_REGEXMATCH) {
        int rc = compile(b, x);
        if (rc) {
            return rc;
        }
    }
    *out = x;
    return 0;
}

static const char *arith_verb(eddy_sql_op op)
{
    switch (op) {
    case EDDY_SQL_OP_ADD:
        return "add";
    case EDDY_SQL_OP_SUB:
        return "subtract";
    case EDDY_SQL_OP_MUL:
        return "multiply";
    case EDDY_SQL_OP_DIV:
        return "divide";
    default:
        return "take the remainder of";
    }
}

static int bind_binary(scope *sc, const eddy_sql_expr *e, eddy_sql_x **out)
{
    binder *b = sc->b;
    eddy_sql_x *x = new_x(b, EDDY_SQL_X_BINARY, e->span, 2);
    if (!x) {
        return nomem(b);
    }
    x->op = e->binary.op;
    int rc;
    if ((rc = bind_expr(sc, e->binary.left, &x->args[0])) ||
        (rc = bind_expr(sc, e->binary.right, &x->args[1]))) {
        return rc;
    }
    eddy_sql_vtype ta = x->args[0]->type, tb = x->args[1]->type;
    switch (x->op) {
    case EDDY_SQL_OP_ADD:
    case EDDY_SQL_OP_SUB:
    case EDDY_SQL_OP_MUL:
    case EDDY_SQL_OP_DIV:
    case EDDY_SQL_OP_MOD:
        if (known(ta) && known(tb)) {
            if (numeric(ta) && numeric(tb)) {
                bool ints = ta != EDDY_SQL_V_DOUBLE && tb != EDDY_SQL_V_DOUBLE;
                x->type = ints && x->op != EDDY_SQL_OP_DIV ? EDDY_SQL_V_INT : EDDY_SQL_V_DOUBLE;
            } else if (x->op == EDDY_SQL_OP_ADD && ta == EDDY_SQL_V_STRING &&
                       tb == EDDY_SQL_V_STRING) {
                x->type = EDDY_SQL_V_STRING;
            } else {
                return fail(b, e->span, "cannot %s %s and %s", arith_verb(x->op), tname(ta),
                            tname(tb));
            }
        } else if (ta == EDDY_SQL_V_NULL || tb == EDDY_SQL_V_NULL) {
            x->type = EDDY_SQL_V_NULL;
        } else if (x->op == EDDY_SQL_OP_DIV && (!known(ta) || numeric(ta)) &&
                   (!known(tb) || numeric(tb))) {
            x->type = EDDY_SQL_V_DOUBLE; /* a quotient is a float (or null) */
        } else {
            x->type = EDDY_SQL_V_ANY;
        }
        break;
    case EDDY_SQL_OP_AND:
    case EDDY_SQL_OP_OR:
        for (int i = 0; i < 2; i++) {
            eddy_sql_vtype t = x->args[i]->type;
            if (known(t) && t != EDDY_SQL_V_BOOL) {
                return fail(b, i == 0 ? e->binary.left->span : e->binary.right->span,
                            "%s needs conditions on both sides, found %s", eddy_sql_op_name(x->op),
                            tname(t));
            }
        }
        x->type = EDDY_SQL_V_BOOL;
        break;
    default:
        if (!comparable(ta, tb) || ta == EDDY_SQL_V_RECORD || ta == EDDY_SQL_V_ARRAY ||
            tb == EDDY_SQL_V_RECORD || tb == EDDY_SQL_V_ARRAY) {
            if (known(ta) && known(tb)) {
                return fail(b, e->span, "cannot compare %s and %s", tname(ta), tname(tb));
            }
        }
        x->type = EDDY_SQL_V_BOOL;
        break;
    }
    *out = x;
    return 0;
}

static int bind_case(scope *sc, const eddy_sql_expr *e, eddy_sql_x **out)
{
    binder *b = sc->b;
    uint32_t nw = e->case_.nwhens;
    bool has_else = e->case_.else_ != NULL;
    eddy_sql_x *x = new_x(b, EDDY_SQL_X_CASE, e->span, nw * 2 + (has_else ? 1 : 0));
    if (!x) {
        return nomem(b);
    }
    x->has_else = has_else;
    eddy_sql_x *operand = NULL;
    int rc;
    if (e->case_.operand && (rc = bind_expr(sc, e->case_.operand, &operand))) {
        return rc;
    }
    eddy_sql_vtype t = EDDY_SQL_V_NULL;
    for (uint32_t i = 0; i < nw; i++) {
        const eddy_sql_when *w = &e->case_.whens[i];
        eddy_sql_x *cond;
        if ((rc = bind_expr(sc, w->cond, &cond))) {
            return rc;
        }
        if (operand) {
            if (!comparable(operand->type, cond->type)) {
                return fail(b, w->cond->span, "cannot compare %s and %s", tname(operand->type),
                            tname(cond->type));
            }
            eddy_sql_x *eq = new_x(b, EDDY_SQL_X_BINARY, w->cond->span, 2);
            if (!eq) {
                return nomem(b);
            }
            eq->op = EDDY_SQL_OP_EQ;
            eq->args[0] = operand;
            eq->args[1] = cond;
            eq->type = EDDY_SQL_V_BOOL;
            cond = eq;
        } else if (known(cond->type) && cond->type != EDDY_SQL_V_BOOL) {
            return fail(b, w->cond->span, "WHEN needs a condition, found %s", tname(cond->type));
        }
        x->args[2 * i] = cond;
        if ((rc = bind_expr(sc, w->result, &x->args[2 * i + 1]))) {
            return rc;
        }
        t = i == 0 ? x->args[1]->type : unify(t, x->args[2 * i + 1]->type);
    }
    if (has_else) {
        if ((rc = bind_expr(sc, e->case_.else_, &x->args[x->nargs - 1]))) {
            return rc;
        }
        t = unify(t, x->args[x->nargs - 1]->type);
    }
    x->type = t == EDDY_SQL_V_NULL ? EDDY_SQL_V_ANY : t;
    *out = x;
    return 0;
}

static bool cast_possible(eddy_sql_vtype from, eddy_sql_vtype to)
{
    if (!known(from) || from == to) {
        return true;
    }
    switch (to) {
    case EDDY_SQL_V_INT:
    case EDDY_SQL_V_DOUBLE:
    case EDDY_SQL_V_BOOL:
        return numeric(from) || from == EDDY_SQL_V_STRING;
    case EDDY_SQL_V_STRING:
        return true;
    case EDDY_SQL_V_TIME:
    case EDDY_SQL_V_RECORD:
    case EDDY_SQL_V_ARRAY:
        return from == EDDY_SQL_V_STRING;
    default:
        return false;
    }
}

static int bind_expr_inner(scope *sc, const eddy_sql_expr *e, eddy_sql_x **out)
{
    binder *b = sc->b;
    eddy_sql_x *x = NULL;
    int rc;
    switch (e->kind) {
    case EDDY_SQL_EXPR_LITERAL:
        x = new_x(b, EDDY_SQL_X_CONST, e->span, 0);
        if (!x) {
            return nomem(b);
        }
        switch (e->lit.type) {
        case EDDY_SQL_LIT_NULL:
            x->type = EDDY_SQL_V_NULL;
            break;
        case EDDY_SQL_LIT_BOOL:
            x->val.type = x->type = EDDY_SQL_V_BOOL;
            x->val.b = e->lit.b;
            break;
        case EDDY_SQL_LIT_INT:
            x->val.type = x->type = EDDY_SQL_V_INT;
            x->val.i = e->lit.i;
            break;
        case EDDY_SQL_LIT_DOUBLE:
            x->val.type = x->type = EDDY_SQL_V_DOUBLE;
            x->val.d = e->lit.d;
            break;
        case EDDY_SQL_LIT_STRING:
            x->val.type = x->type = EDDY_SQL_V_STRING;
            x->val.s.p = eddy_arena_memdup(b->A, e->lit.s, e->lit.slen + 1);
            x->val.s.len = e->lit.slen;
            if (!x->val.s.p) {
                return nomem(b);
            }
            break;
        }
        *out = x;
        return 0;
    case EDDY_SQL_EXPR_COLUMN:
        return bind_column(sc, e, out);
    case EDDY_SQL_EXPR_STAR:
        return fail(b, e->span, "'*' is only allowed as a select item or in COUNT(*)");
    case EDDY_SQL_EXPR_UNARY: {
        x = new_x(b, EDDY_SQL_X_UNARY, e->span, 1);
        if (!x) {
            return nomem(b);
        }
        x->op = e->unary.op;
        if ((rc = bind_expr(sc, e->unary.arg, &x->args[0]))) {
            return rc;
        }
        eddy_sql_vtype t = x->args[0]->type;
        if (x->op == EDDY_SQL_OP_NOT) {
            if (known(t) && t != EDDY_SQL_V_BOOL) {
                return fail(b, e->span, "NOT needs a condition, found %s", tname(t));
            }
            x->type = EDDY_SQL_V_BOOL;
        } else {
            if (known(t) && !numeric(t)) {
                return fail(b, e->span, "cannot %s %s",
                            x->op == EDDY_SQL_OP_NEG ? "negate" : "apply unary + to", tname(t));
            }
            x->type = t == EDDY_SQL_V_BOOL ? EDDY_SQL_V_INT : t;
        }
        break;
    }
    case EDDY_SQL_EXPR_BINARY:
        if ((rc = bind_binary(sc, e, &x))) {
            return rc;
        }
        break;
    case EDDY_SQL_EXPR_CALL:
        if ((rc = bind_call(sc, e, &x))) {
            return rc;
        }
        if (x->kind != EDDY_SQL_X_CALL) {
            *out = x; /* an aggregate's column or the time column */
            return 0;
        }
        break;
    case EDDY_SQL_EXPR_CASE:
        if ((rc = bind_case(sc, e, &x))) {
            return rc;
        }
        break;
    case EDDY_SQL_EXPR_CAST: {
        x = new_x(b, EDDY_SQL_X_CAST, e->span, 1);
        if (!x) {
            return nomem(b);
        }
        x->cast = e->cast.type;
        x->try_ = e->cast.try_;
        if ((rc = bind_expr(sc, e->cast.arg, &x->args[0]))) {
            return rc;
        }
        x->type = eddy_sql_type_vtype(x->cast);
        if (!cast_possible(x->args[0]->type, x->type)) {
            return fail(b, e->span, "cannot convert %s to %s", tname(x->args[0]->type),
                        tname(x->type));
        }
        break;
    }
    case EDDY_SQL_EXPR_IN: {
        x = new_x(b, EDDY_SQL_X_IN, e->span, e->in.nlist + 1);
        if (!x) {
            return nomem(b);
        }
        x->negated = e->in.negated;
        if ((rc = bind_expr(sc, e->in.arg, &x->args[0]))) {
            return rc;
        }
        for (uint32_t i = 0; i < e->in.nlist; i++) {
            if ((rc = bind_expr(sc, e->in.list[i], &x->args[i + 1]))) {
                return rc;
            }
            if (!comparable(x->args[0]->type, x->args[i + 1]->type)) {
                return fail(b, e->in.list[i]->span, "cannot compare %s and %s",
                            tname(x->args[0]->type), tname(x->args[i + 1]->type));
            }
        }
        x->type = EDDY_SQL_V_BOOL;
        break;
    }
    case EDDY_SQL_EXPR_BETWEEN: {
        x = new_x(b, EDDY_SQL_X_BETWEEN, e->span, 3);
        if (!x) {
            return nomem(b);
        }
        x->negated = e->between.negated;
        if ((rc = bind_expr(sc, e->between.arg, &x->args[0])) ||
            (rc = bind_expr(sc, e->between.lo, &x->args[1])) ||
            (rc = bind_expr(sc, e->between.hi, &x->args[2]))) {
            return rc;
        }
        for (int i = 1; i <= 2; i++) {
            if (!comparable(x->args[0]->type, x->args[i]->type)) {
                return fail(b, e->span, "cannot compare %s and %s", tname(x->args[0]->type),
                            tname(x->args[i]->type));
            }
        }
        x->type = EDDY_SQL_V_BOOL;
        break;
    }
    case EDDY_SQL_EXPR_LIKE: {
        x = new_x(b, EDDY_SQL_X_LIKE, e->span, e->like.escape ? 3 : 2);
        if (!x) {
            return nomem(b);
        }
        x->negated = e->like.negated;
        if ((rc = bind_expr(sc, e->like.arg, &x->args[0])) ||
            (rc = bind_expr(sc, e->like.pattern, &x->args[1]))) {
            return rc;
        }
        if (e->like.escape && (rc = bind_expr(sc, e->like.escape, &x->args[2]))) {
            return rc;
        }
        for (uint32_t i = 0; i < x->nargs; i++) {
            eddy_sql_vtype t = x->args[i]->type;
            if (known(t) && t != EDDY_SQL_V_STRING) {
                const eddy_sql_expr *a = i == 0   ? e->like.arg
                                         : i == 1 ? e->like.pattern
                                                  : e->like.escape;
                return fail(b, a->span, "LIKE needs nvarchar(max), found %s", tname(t));
            }
        }
        x->type = EDDY_SQL_V_BOOL;
        for (uint32_t i = 1; i < x->nargs; i++) {
            if ((rc = fold(b, &x->args[i]))) {
                return rc;
            }
        }
        if ((rc = compile(b, x))) {
            return rc;
        }
        break;
    }
    case EDDY_SQL_EXPR_IS_NULL:
        x = new_x(b, EDDY_SQL_X_IS_NULL, e->span, 1);
        if (!x) {
            return nomem(b);
        }
        x->negated = e->is_null.negated;
        if ((rc = bind_expr(sc, e->is_null.arg, &x->args[0]))) {
            return rc;
        }
        x->type = EDDY_SQL_V_BOOL;
        break;
    case EDDY_SQL_EXPR_DATEPART:
        return fail(b, e->span,
                    "a time unit can only be the first argument of DATEADD, "
                    "DATEDIFF or DATEPART");
    case EDDY_SQL_EXPR_WINDOW:
        return fail(b, e->span, "a window is only allowed as a GROUP BY item");
    case EDDY_SQL_EXPR_NAMED_ARG:
        return fail(b, e->span, "named arguments are only allowed in table sources");
    }
    if ((rc = fold(b, &x))) {
        return rc;
    }
    *out = x;
    return 0;
}

static int bind_expr(scope *sc, const eddy_sql_expr *e, eddy_sql_x **out)
{
    binder *b = sc->b;
    if (sc->kind == SC_POST) {
        if (e->kind == EDDY_SQL_EXPR_CALL && e->call.func->kind == EDDY_SQL_FUNC_AGGREGATE) {
            return bind_agg(sc, e, out);
        }
        eddy_sql_select_plan *sel = sc->sel;
        if (e->kind == EDDY_SQL_EXPR_CALL && e->call.func->id == EDDY_SQL_FN_SYSTEM_TIMESTAMP) {
            if (sel->has_window) {
                *out = direct_col(b, e->span, sel->nkeys, EDDY_SQL_V_TIME);
                return *out ? 0 : nomem(b);
            }
            for (uint32_t k = 0; k < sel->nkeys; k++) {
                const eddy_sql_x *kx = sel->keys[k];
                if (kx->kind == EDDY_SQL_X_COL && kx->input == EDDY_SQL_INPUT_ALL) {
                    *out = direct_col(b, e->span, k, EDDY_SQL_V_TIME);
                    return *out ? 0 : nomem(b);
                }
            }
            /* a windowless aggregate: the group's latest event time */
            if (!sc->has_time) {
                return time_col(sc, e->span, out);
            }
        }
        if (!ast_has_agg(e)) {
            scope pre = *sc;
            pre.kind = SC_PRE;
            pre.noagg = "this place";
            eddy_sql_x *px;
            int rc = bind_expr(&pre, e, &px);
            if (rc) {
                return rc;
            }
            for (uint32_t k = 0; k < sel->nkeys; k++) {
                if (eddy_sql_x_equal(px, sel->keys[k])) {
                    *out = direct_col(b, e->span, k, sel->keys[k]->type);
                    return *out ? 0 : nomem(b);
                }
            }
            if (!x_reads_columns(px)) {
                *out = px;
                return 0;
            }
            if (e->kind == EDDY_SQL_EXPR_CALL && e->call.func->id == EDDY_SQL_FN_SYSTEM_TIMESTAMP) {
                return bind_agg(sc, e, out); /* MAX(event time) */
            }
            if (e->kind == EDDY_SQL_EXPR_COLUMN) {
                const eddy_sql_ident *p = &e->column.parts[e->column.nparts - 1];
                return fail(b, e->span,
                            "'%.*s' must be in GROUP BY or inside an aggregate (such as "
                            "MAX(%.*s))",
                            (int)(e->span.len), b->text + e->span.off, (int)p->len, p->str);
            }
        }
    }
    return bind_expr_inner(sc, e, out);
}

/* ---- aggregates -------------------------------------------------------- */

static bool agg_same(const eddy_sql_agg *a, const eddy_sql_agg *b)
{
    if (a->fn != b->fn || a->distinct != b->distinct || a->star != b->star ||
        a->norder != b->norder || a->fraction != b->fraction || a->order_desc != b->order_desc) {
        return false;
    }
    if ((a->arg == NULL) != (b->arg == NULL) || (a->arg && !eddy_sql_x_equal(a->arg, b->arg))) {
        return false;
    }
    for (uint32_t i = 0; i < a->norder; i++) {
        if (a->desc[i] != b->desc[i] || !eddy_sql_x_equal(a->order[i], b->order[i])) {
            return false;
        }
    }
    return true;
}

static int add_agg(scope *sc, eddy_sql_agg *agg, eddy_sql_span span, eddy_sql_x **out)
{
    binder *b = sc->b;
    eddy_sql_select_plan *sel = sc->sel;
    for (uint32_t i = 0; i < sel->naggs; i++) {
        if (agg_same(&sel->aggs[i], agg)) {
            *out = direct_col(b, span, sel->nkeys + 1 + i, sel->aggs[i].type);
            return *out ? 0 : nomem(b);
        }
    }
    int rc = grow(b, (void **)&sel->aggs, sel->naggs, &sc->capaggs, sizeof *sel->aggs);
    if (rc) {
        return rc;
    }
    sel->aggs[sel->naggs] = *agg;
    *out = direct_col(b, span, sel->nkeys + 1 + sel->naggs, agg->type);
    sel->naggs++;
    return *out ? 0 : nomem(b);
}

static int bind_agg(scope *sc, const eddy_sql_expr *e, eddy_sql_x **out)
{
    binder *b = sc->b;
    eddy_sql_agg agg;
    memset(&agg, 0, sizeof agg);
    scope pre = *sc;
    pre.kind = SC_PRE;
    pre.noagg = "another aggregate's argument";
    int rc;
    if (e->kind == EDDY_SQL_EXPR_CALL && e->call.func->id == EDDY_SQL_FN_SYSTEM_TIMESTAMP) {
        /* System.Timestamp() of a windowless aggregate: MAX(event time) */
        agg.fn = EDDY_SQL_FN_MAX;
        agg.span = e->span;
        if ((rc = time_col(&pre, e->span, &agg.arg))) {
            return rc;
        }
        agg.type = EDDY_SQL_V_TIME;
        return add_agg(sc, &agg, e->span, out);
    }
    const eddy_sql_func *f = e->call.func;
    agg.fn = f->id;
    agg.span = e->span;
    agg.distinct = e->call.distinct;
    const eddy_sql_expr *a0 = e->call.nargs ? e->call.args[0] : NULL;
    switch (f->id) {
    case EDDY_SQL_FN_COUNT:
        if (a0->kind == EDDY_SQL_EXPR_STAR) {
            agg.star = true;
        } else if ((rc = bind_expr(&pre, a0, &agg.arg))) {
            return rc;
        }
        agg.type = EDDY_SQL_V_INT;
        break;
    case EDDY_SQL_FN_SUM:
    case EDDY_SQL_FN_AVG:
    case EDDY_SQL_FN_STDEV:
    case EDDY_SQL_FN_STDEVP:
    case EDDY_SQL_FN_VAR:
    case EDDY_SQL_FN_VARP:
        if ((rc = bind_expr(&pre, a0, &agg.arg))) {
            return rc;
        }
        if (known(agg.arg->type) && !numeric(agg.arg->type)) {
            return fail(b, a0->span, "%s needs a number, found %s", f->name, tname(agg.arg->type));
        }
        if (f->id == EDDY_SQL_FN_SUM) {
            eddy_sql_vtype t = agg.arg->type;
            agg.type = t == EDDY_SQL_V_INT || t == EDDY_SQL_V_BOOL ? EDDY_SQL_V_INT
                       : t == EDDY_SQL_V_DOUBLE                    ? EDDY_SQL_V_DOUBLE
                                                                   : EDDY_SQL_V_ANY;
        } else {
            agg.type = EDDY_SQL_V_DOUBLE;
        }
        break;
    case EDDY_SQL_FN_MIN:
    case EDDY_SQL_FN_MAX:
        if ((rc = bind_expr(&pre, a0, &agg.arg))) {
            return rc;
        }
        if (agg.arg->type == EDDY_SQL_V_RECORD || agg.arg->type == EDDY_SQL_V_ARRAY) {
            return fail(b, a0->span, "%s cannot order values of type %s", f->name,
                        tname(agg.arg->type));
        }
        agg.type = agg.arg->type == EDDY_SQL_V_BOOL ? EDDY_SQL_V_BOOL : agg.arg->type;
        break;
    case EDDY_SQL_FN_PERCENTILE_CONT:
    case EDDY_SQL_FN_PERCENTILE_DISC: {
        eddy_sql_x *p;
        if ((rc = bind_expr(&pre, a0, &p))) {
            return rc;
        }
        double d;
        if (p->kind != EDDY_SQL_X_CONST || !eddy_sql_value_num(&p->val, &d) || d < 0 || d > 1) {
            return fail(b, a0->span, "the fraction of %s must be a constant from 0 to 1", f->name);
        }
        agg.fraction = d;
        if (e->call.nover != 1) {
            return fail(b, e->span, "%s takes one ORDER BY value", f->name);
        }
        if ((rc = bind_expr(&pre, e->call.over[0].expr, &agg.arg))) {
            return rc;
        }
        agg.order_desc = e->call.over[0].desc;
        eddy_sql_vtype t = agg.arg->type;
        if (f->id == EDDY_SQL_FN_PERCENTILE_CONT) {
            if (known(t) && !numeric(t)) {
                return fail(b, e->call.over[0].expr->span, "%s needs a number, found %s", f->name,
                            tname(t));
            }
            agg.type = EDDY_SQL_V_DOUBLE;
        } else {
            if (t == EDDY_SQL_V_RECORD || t == EDDY_SQL_V_ARRAY) {
                return fail(b, e->call.over[0].expr->span, "%s cannot order values of type %s",
                            f->name, tname(t));
            }
            agg.type = t == EDDY_SQL_V_BOOL ? EDDY_SQL_V_BOOL : t;
        }
        break;
    }
    case EDDY_SQL_FN_TOPONE:
        agg.norder = e->call.nover;
        agg.order = eddy_arena_alloc(b->A, sizeof *agg.order * (agg.norder + 1));
        agg.desc = eddy_arena_alloc(b->A, sizeof *agg.desc * (agg.norder + 1));
        if (!agg.order || !agg.desc) {
            return nomem(b);
        }
        for (uint32_t i = 0; i < agg.norder; i++) {
            if ((rc = bind_expr(&pre, e->call.over[i].expr, &agg.order[i]))) {
                return rc;
            }
            agg.desc[i] = e->call.over[i].desc;
        }
        if ((rc = row_record(&pre, e->span, &agg.arg))) {
            return rc;
        }
        agg.type = EDDY_SQL_V_RECORD;
        break;
    case EDDY_SQL_FN_COLLECT:
        if (!a0 || a0->kind == EDDY_SQL_EXPR_STAR) {
            rc = row_record(&pre, e->span, &agg.arg);
        } else {
            rc = bind_expr(&pre, a0, &agg.arg);
        }
        if (rc) {
            return rc;
        }
        agg.type = EDDY_SQL_V_ARRAY;
        break;
    default:
        return fail(b, e->span, "%s is not an aggregate", f->name);
    }
    return add_agg(sc, &agg, e->span, out);
}

/* ---- fix-up of column positions ---------------------------------------- */

static void fixup(eddy_sql_x *x, const eddy_sql_select_plan *sel, const uint32_t *base)
{
    if (x->kind == EDDY_SQL_X_COL && x->input != INPUT_DIRECT) {
        if (x->input == EDDY_SQL_INPUT_ALL) {
            x->col = sel->width - 1;
        } else {
            const eddy_sql_input *in = &sel->inputs[x->input];
            x->col = base[x->input] + (x->local == EDDY_SQL_COL_TIME ? in->ncols : x->local);
        }
    }
    for (uint32_t i = 0; i < x->nargs; i++) {
        fixup(x->args[i], sel, base);
    }
}

/* Over one input's own chunk. */
static void fixup_local(eddy_sql_x *x, const eddy_sql_input *in)
{
    if (x->kind == EDDY_SQL_X_COL && x->input != INPUT_DIRECT) {
        x->col = x->local == EDDY_SQL_COL_TIME ? in->ncols : x->local;
    }
    for (uint32_t i = 0; i < x->nargs; i++) {
        fixup_local(x->args[i], in);
    }
}

/* ---- a join's time bound ---------------------------------------------- */

/* Past this a bound is no bound (microseconds; about 73000 years, so
 * time + bound never overflows for datetimes of years 1 to 9999). */
#define BOUND_INF ((int64_t)1 << 61)

static int64_t bound_clamp(__int128 v)
{
    return v >= BOUND_INF ? BOUND_INF : v <= -BOUND_INF ? -BOUND_INF : (int64_t)v;
}

/* The shortest and longest unit between two boundaries DATEDIFF counts. */
static void unit_span(eddy_sql_unit u, int64_t *min, int64_t *max)
{
    const int64_t day = INT64_C(86400000000);
    switch (u) {
    case EDDY_SQL_UNIT_YEAR:
        *min = 365 * day;
        *max = 366 * day;
        break;
    case EDDY_SQL_UNIT_QUARTER:
        *min = 90 * day;
        *max = 92 * day;
        break;
    case EDDY_SQL_UNIT_MONTH:
        *min = 28 * day;
        *max = 31 * day;
        break;
    case EDDY_SQL_UNIT_WEEK:
        *min = *max = 7 * day;
        break;
    case EDDY_SQL_UNIT_DAYOFYEAR:
    case EDDY_SQL_UNIT_WEEKDAY:
        *min = *max = day;
        break;
    default:
        *min = *max = eddy_sql_unit_us(u);
        break;
    }
}

/* DATEDIFF(unit, a, b) in [lo, hi] (boundaries; +-BOUND_INF: open) as a
 * range of b - a in microseconds. With n boundaries crossed, b - a lies
 * strictly between (n - 1) and (n + 1) units, taking the shortest or the
 * longest unit as the sign needs; nanoseconds are exact. */
static void datediff_range(eddy_sql_unit u, int64_t lo, int64_t hi, int64_t *lo_us, int64_t *hi_us)
{
    if (u == EDDY_SQL_UNIT_NANOSECOND) {
        *lo_us =
            lo <= -BOUND_INF ? -BOUND_INF : bound_clamp(lo >= 0 ? (lo + 999) / 1000 : lo / 1000);
        *hi_us = hi >= BOUND_INF ? BOUND_INF : bound_clamp(hi >= 0 ? hi / 1000 : (hi - 999) / 1000);
        return;
    }
    int64_t min, max;
    unit_span(u, &min, &max);
    if (min <= 0) {
        *lo_us = -BOUND_INF;
        *hi_us = BOUND_INF;
        return;
    }
    __int128 l = (__int128)lo - 1, h = (__int128)hi + 1;
    *lo_us = lo <= -BOUND_INF ? -BOUND_INF : bound_clamp(l * (l >= 0 ? min : max) + 1);
    *hi_us = hi >= BOUND_INF ? BOUND_INF : bound_clamp(h * (h >= 0 ? max : min) - 1);
}

static bool const_int(const eddy_sql_x *x, int64_t *v)
{
    if (x->kind != EDDY_SQL_X_CONST || x->val.type != EDDY_SQL_V_INT) {
        return false;
    }
    *v = x->val.i;
    return true;
}

/* x is DATEDIFF over the event times of input k and of an input left of
 * it: *left gets that input, *flip is set when b is the left one. */
static bool datediff_times(const eddy_sql_x *x, uint32_t k, uint32_t *left, bool *flip)
{
    if (x->kind != EDDY_SQL_X_CALL || x->fn != EDDY_SQL_FN_DATEDIFF || x->nargs != 2) {
        return false;
    }
    const eddy_sql_x *a = x->args[0], *b = x->args[1];
    for (int i = 0; i < 2; i++) {
        if (x->args[i]->kind != EDDY_SQL_X_COL || x->args[i]->local != EDDY_SQL_COL_TIME ||
            x->args[i]->input == EDDY_SQL_INPUT_ALL) {
            return false;
        }
    }
    if (b->input == k && a->input < k) {
        *left = a->input;
        *flip = false;
        return true;
    }
    if (a->input == k && b->input < k) {
        *left = b->input;
        *flip = true;
        return true;
    }
    return false;
}

/* Narrows js's bound by conjunct x when it bounds DATEDIFF by constants. */
static void bound_conjunct(eddy_sql_join_spec *js, uint32_t k, const eddy_sql_x *x)
{
    if (x->kind == EDDY_SQL_X_BINARY && x->op == EDDY_SQL_OP_AND) {
        bound_conjunct(js, k, x->args[0]);
        bound_conjunct(js, k, x->args[1]);
        return;
    }
    const eddy_sql_x *dd = NULL;
    int64_t lo = -BOUND_INF, hi = BOUND_INF, v;
    if (x->kind == EDDY_SQL_X_BETWEEN && !x->negated) {
        int64_t l, h;
        if (!const_int(x->args[1], &l) || !const_int(x->args[2], &h)) {
            return;
        }
        dd = x->args[0];
        lo = l;
        hi = h;
    } else if (x->kind == EDDY_SQL_X_BINARY && x->nargs == 2) {
        eddy_sql_op op = x->op;
        if (const_int(x->args[1], &v)) {
            dd = x->args[0];
        } else if (const_int(x->args[0], &v)) {
            /* c < d is d > c */
            dd = x->args[1];
            op = op == EDDY_SQL_OP_LT   ? EDDY_SQL_OP_GT
                 : op == EDDY_SQL_OP_LE ? EDDY_SQL_OP_GE
                 : op == EDDY_SQL_OP_GT ? EDDY_SQL_OP_LT
                 : op == EDDY_SQL_OP_GE ? EDDY_SQL_OP_LE
                                        : op;
        } else {
            return;
        }
        if (v <= -BOUND_INF || v >= BOUND_INF) {
            return;
        }
        switch (op) {
        case EDDY_SQL_OP_EQ:
            lo = hi = v;
            break;
        case EDDY_SQL_OP_LT:
            hi = v - 1;
            break;
        case EDDY_SQL_OP_LE:
            hi = v;
            break;
        case EDDY_SQL_OP_GT:
            lo = v + 1;
            break;
        case EDDY_SQL_OP_GE:
            lo = v;
            break;
        default:
            return;
        }
    } else {
        return;
    }
    uint32_t left;
    bool flip;
    if (!datediff_times(dd, k, &left, &flip)) {
        return;
    }
    if (js->bound_input != UINT32_MAX && js->bound_input != left) {
        return; /* one left input per bound: the first one named */
    }
    js->bound_input = left;
    int64_t l, h;
    datediff_range(dd->unit, lo, hi, &l, &h);
    if (flip) {
        int64_t t = l;
        l = -h;
        h = -t;
    }
    js->lo_us = l > js->lo_us ? l : js->lo_us;
    js->hi_us = h < js->hi_us ? h : js->hi_us;
}

/* Records join k's time bound (eddy_sql_join_spec). A conjunct of WHERE
 * bounds an inner or cross join too: a pair it fails cannot reach the
 * output whatever the later joins add. Runs before the column fixup. */
static void join_bound(eddy_sql_select_plan *sel, uint32_t k, const uint32_t *base)
{
    eddy_sql_join_spec *js = &sel->joins[k - 1];
    js->bound_input = UINT32_MAX;
    js->lo_us = -BOUND_INF;
    js->hi_us = BOUND_INF;
    if (js->residual) {
        bound_conjunct(js, k, js->residual);
    }
    if (sel->where && js->kind != EDDY_SQL_JOIN_LEFT) {
        bound_conjunct(js, k, sel->where);
    }
    if (js->bound_input == UINT32_MAX) {
        js->lo_us = js->hi_us = 0;
        return;
    }
    js->bound_lcol = base[js->bound_input] + sel->inputs[js->bound_input].ncols;
    js->bounded = js->lo_us > -BOUND_INF && js->hi_us < BOUND_INF;
}

/* ---- inputs ------------------------------------------------------------ */

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

static int string_arg(binder *b, const eddy_sql_expr *a, const char *what, const char **s)
{
    if (a->kind != EDDY_SQL_EXPR_LITERAL || a->lit.type != EDDY_SQL_LIT_STRING) {
        return fail(b, a->span, "%s must be a string literal", what);
    }
    *s = a->lit.s;
    return 0;
}

static int source_opts(binder *b, const eddy_sql_source *src, eddy_sql_input *in)
{
    eddy_sql_src_opts *o = &in->opts;
    memset(o, 0, sizeof *o);
    o->processed_us = b->opts->now_us;
    if (src->kind == EDDY_SQL_SOURCE_FILE) {
        o->pattern = eddy_arena_strndup(b->A, src->file, src->file_len);
        if (!o->pattern) {
            return nomem(b);
        }
        if (ends_with(src->file, src->file_len, ".csv")) {
            o->kind = EDDY_SQL_SRC_CSV;
            o->csv_header = true;
        } else if (ends_with(src->file, src->file_len, ".avro")) {
            o->kind = EDDY_SQL_SRC_AVRO;
        } else {
            o->kind = EDDY_SQL_SRC_JSON;
        }
        return 0;
    }
    const eddy_sql_expr *call = src->call;
    const eddy_sql_func *f = call->call.func;
    switch (f->id) {
    case EDDY_SQL_FN_READ_JSON:
        o->kind = EDDY_SQL_SRC_JSON;
        break;
    case EDDY_SQL_FN_READ_CSV:
        o->kind = EDDY_SQL_SRC_CSV;
        o->csv_header = true;
        break;
    case EDDY_SQL_FN_READ_AVRO:
        o->kind = EDDY_SQL_SRC_AVRO;
        break;
    case EDDY_SQL_FN_LAKE:
        o->kind = EDDY_SQL_SRC_LAKE;
        break;
    case EDDY_SQL_FN_HUB:
        o->kind = EDDY_SQL_SRC_HUB;
        break;
    default:
        return fail(b, call->span, "%s is not a table source", f->name);
    }
    bool have_path = false;
    for (uint32_t i = 0; i < call->call.nargs; i++) {
        const eddy_sql_expr *a = call->call.args[i];
        if (a->kind != EDDY_SQL_EXPR_NAMED_ARG) {
            char what[64];
            snprintf(what, sizeof what, "the %s of %s", f->id == EDDY_SQL_FN_HUB ? "name" : "path",
                     f->name);
            int rc = string_arg(b, a, what, &o->pattern);
            if (rc) {
                return rc;
            }
            have_path = true;
            continue;
        }
        const eddy_sql_ident *nm = &a->named.name;
        const eddy_sql_expr *v = a->named.value;
        static const char *const csv_names[] = {"header", "delim"};
        if (f->id == EDDY_SQL_FN_READ_CSV && ieq(nm->str, nm->len, "header", 6)) {
            if (v->kind != EDDY_SQL_EXPR_LITERAL || v->lit.type != EDDY_SQL_LIT_BOOL) {
                return fail(b, v->span, "header must be TRUE or FALSE");
            }
            o->csv_header = v->lit.b;
        } else if (f->id == EDDY_SQL_FN_READ_CSV && ieq(nm->str, nm->len, "delim", 5)) {
            if (v->kind != EDDY_SQL_EXPR_LITERAL || v->lit.type != EDDY_SQL_LIT_STRING ||
                v->lit.slen != 1) {
                return fail(b, v->span, "delim must be a string of one character");
            }
            o->csv_delim = v->lit.s[0];
        } else if (f->id == EDDY_SQL_FN_READ_CSV) {
            long near = eddy_sql_nearest(nm->str, nm->len, csv_names, 2);
            if (near >= 0) {
                return fail(b, nm->span, "read_csv has no argument '%.*s'; did you mean '%s'?",
                            (int)nm->len, nm->str, csv_names[near]);
            }
            return fail(b, nm->span, "read_csv has no argument '%.*s' (it takes header, delim)",
                        (int)nm->len, nm->str);
        } else {
            return fail(b, nm->span, "%s takes no named arguments", f->name);
        }
    }
    if (!have_path) {
        return fail(b, call->span, "%s needs a path", f->name);
    }
    return 0;
}

static int open_source(binder *b, eddy_sql_input *in)
{
    char msg[EDDY_SQL_ERROR_MSG_MAX];
    msg[0] = 0;
    int rc = b->opts->api->open(&in->opts, &in->src, msg, sizeof msg);
    if (rc) {
        in->src = NULL;
        eddy_sql_error_set(b->err, rc, b->text, b->len, in->span.off, in->span.len, "%s",
                           msg[0] ? msg : eddy_err_str(rc));
        return rc;
    }
    eddy_sql_plan *p = b->plan;
    eddy_sql_input **ns = eddy_arena_alloc(b->A, sizeof *ns * (p->nsources + 1));
    if (!ns) {
        b->opts->api->close(in->src);
        in->src = NULL;
        return nomem(b);
    }
    if (p->nsources) {
        memcpy(ns, p->sources, sizeof *ns * p->nsources);
    }
    ns[p->nsources++] = in;
    p->sources = ns;
    in->nknown = b->opts->api->columns(in->src, &in->known);
    if (!in->known) {
        in->nknown = 0;
    }
    return 0;
}

static int bind_input(binder *b, const eddy_sql_source *src, eddy_sql_input *in)
{
    memset(in, 0, sizeof *in);
    in->span = src->span;
    if (src->has_alias) {
        in->name = src->alias.str;
        in->name_len = src->alias.len;
    }
    int rc;
    switch (src->kind) {
    case EDDY_SQL_SOURCE_NAME: {
        const eddy_sql_ident *nm = &src->name;
        int found = -1;
        for (uint32_t i = 0; i < b->nvisible; i++) {
            const char *sn = b->plan->step_names[i];
            if (ieq(sn, strlen(sn), nm->str, nm->len)) {
                found = (int)i;
            }
        }
        if (found < 0) {
            for (uint32_t i = b->nvisible; i < b->q->nsteps; i++) {
                const eddy_sql_ident *sn = &b->q->steps[i].name;
                if (ieq(sn->str, sn->len, nm->str, nm->len)) {
                    return fail(b, nm->span,
                                "step '%.*s' is defined after this one: a step can only read "
                                "the steps before it",
                                (int)nm->len, nm->str);
                }
            }
            long near = eddy_sql_nearest(nm->str, nm->len, b->plan->step_names, b->nvisible);
            if (near >= 0) {
                return fail(b, nm->span, "unknown input '%.*s'; did you mean '%s'?", (int)nm->len,
                            nm->str, b->plan->step_names[near]);
            }
            return fail(b, nm->span,
                        "unknown input '%.*s': name a WITH step, a file ('%.*s.jsonl') or a "
                        "table source (read_json, read_csv, read_avro, lake)",
                        (int)nm->len, nm->str, (int)nm->len, nm->str);
        }
        eddy_sql_stmt_plan *st = &b->plan->steps[found];
        st->consumers++;
        in->kind = EDDY_SQL_INPUT_STEP;
        in->step = (uint32_t)found;
        if (!src->has_alias) {
            in->name = nm->str;
            in->name_len = nm->len;
        }
        in->ncols = st->ncols;
        in->colnames = st->names;
        in->coltypes = st->types;
        in->has_time = st->has_time;
        /* the step's own time travels as its last column */
        in->time = new_x(b, EDDY_SQL_X_COL, src->span, 0);
        if (!in->time) {
            return nomem(b);
        }
        in->time->input = 0;
        in->time->local = EDDY_SQL_COL_TIME;
        in->time->type = EDDY_SQL_V_TIME;
        break;
    }
    case EDDY_SQL_SOURCE_FILE:
    case EDDY_SQL_SOURCE_CALL:
        in->kind = EDDY_SQL_INPUT_SOURCE;
        if ((rc = source_opts(b, src, in)) || (rc = open_source(b, in))) {
            return rc;
        }
        break;
    }
    return 0;
}

/* TIMESTAMP BY and default event times, once every input is known. */
static int bind_input_time(binder *b, eddy_sql_select_plan *sel, uint32_t i,
                           const eddy_sql_source *src)
{
    eddy_sql_input *in = &sel->inputs[i];
    scope sc;
    memset(&sc, 0, sizeof sc);
    sc.kind = SC_PRE;
    sc.b = b;
    sc.sel = sel;
    sc.only = (int)i;
    sc.noagg = "TIMESTAMP BY";
    sc.in_timestamp = true;
    int rc;
    if (src && src->timestamp_by) {
        eddy_sql_x *t;
        if ((rc = bind_expr(&sc, src->timestamp_by, &t))) {
            return rc;
        }
        if (known(t->type) && t->type != EDDY_SQL_V_TIME && t->type != EDDY_SQL_V_STRING) {
            return fail(b, src->timestamp_by->span,
                        "TIMESTAMP BY needs a datetime (or an ISO-8601 string), found %s",
                        tname(t->type));
        }
        in->time = t;
        in->has_time = true;
        in->timestamp_by = true;
    } else if (in->kind == EDDY_SQL_INPUT_SOURCE &&
               (in->opts.kind == EDDY_SQL_SRC_LAKE || in->opts.kind == EDDY_SQL_SRC_HUB)) {
        eddy_sql_ident id = {.str = "EventEnqueuedUtcTime", .len = 20, .span = in->span};
        if ((rc = col_in_input(&sc, i, &id, 1, in->span, &in->time))) {
            return rc;
        }
        in->has_time = true;
    }
    return 0;
}

/* ---- SELECT ------------------------------------------------------------ */

static const char *item_name(binder *b, const eddy_sql_select_item *it)
{
    if (it->has_alias) {
        return eddy_arena_strndup(b->A, it->alias.str, it->alias.len);
    }
    const eddy_sql_expr *e = it->expr;
    if (e->kind == EDDY_SQL_EXPR_COLUMN) {
        const eddy_sql_ident *p = &e->column.parts[e->column.nparts - 1];
        return eddy_arena_strndup(b->A, p->str, p->len);
    }
    return eddy_arena_strndup(b->A, b->text + e->span.off, e->span.len);
}

static int split_conjuncts(binder *b, eddy_sql_x *x, eddy_sql_x ***list, uint32_t *n, uint32_t *cap)
{
    if (x->kind == EDDY_SQL_X_BINARY && x->op == EDDY_SQL_OP_AND) {
        int rc = split_conjuncts(b, x->args[0], list, n, cap);
        return rc ? rc : split_conjuncts(b, x->args[1], list, n, cap);
    }
    int rc = grow(b, (void **)list, *n, cap, sizeof **list);
    if (rc) {
        return rc;
    }
    (*list)[(*n)++] = x;
    return 0;
}

static int bind_join(binder *b, eddy_sql_select_plan *sel, uint32_t k, const eddy_sql_join *j,
                     bool has_time)
{
    eddy_sql_join_spec *js = &sel->joins[k - 1];
    js->kind = j->kind;
    js->span = j->span;
    if (!j->on) {
        return 0;
    }
    scope sc;
    memset(&sc, 0, sizeof sc);
    sc.kind = SC_PRE;
    sc.b = b;
    sc.sel = sel;
    sc.nin = k + 1;
    sc.only = -1;
    sc.noagg = "ON";
    sc.has_time = has_time;
    eddy_sql_x *on;
    int rc = bind_expr(&sc, j->on, &on);
    if (rc) {
        return rc;
    }
    if (known(on->type) && on->type != EDDY_SQL_V_BOOL) {
        return fail(b, j->on->span, "ON needs a condition, found %s", tname(on->type));
    }
    eddy_sql_x **conj = NULL;
    uint32_t nconj = 0, cap = 0;
    if ((rc = split_conjuncts(b, on, &conj, &nconj, &cap))) {
        return rc;
    }
    uint64_t left = ((uint64_t)1 << k) - 1, right = (uint64_t)1 << k;
    js->lkeys = eddy_arena_alloc(b->A, sizeof *js->lkeys * (nconj + 1));
    js->rkeys = eddy_arena_alloc(b->A, sizeof *js->rkeys * (nconj + 1));
    if (!js->lkeys || !js->rkeys) {
        return nomem(b);
    }
    eddy_sql_x *residual = NULL;
    for (uint32_t i = 0; i < nconj; i++) {
        eddy_sql_x *c = conj[i];
        if (c->kind == EDDY_SQL_X_BINARY && c->op == EDDY_SQL_OP_EQ) {
            uint64_t l = x_inputs(c->args[0]), r = x_inputs(c->args[1]);
            bool time_mix =
                (c->args[0]->type == EDDY_SQL_V_TIME) != (c->args[1]->type == EDDY_SQL_V_TIME);
            if (!time_mix && l && r && (l & ~left) == 0 && r == right) {
                js->lkeys[js->nkeys] = c->args[0];
                js->rkeys[js->nkeys++] = c->args[1];
                continue;
            }
            if (!time_mix && l && r && (r & ~left) == 0 && l == right) {
                js->lkeys[js->nkeys] = c->args[1];
                js->rkeys[js->nkeys++] = c->args[0];
                continue;
            }
        }
        if (!residual) {
            residual = c;
        } else {
            eddy_sql_x *a = new_x(b, EDDY_SQL_X_BINARY, c->span, 2);
            if (!a) {
                return nomem(b);
            }
            a->op = EDDY_SQL_OP_AND;
            a->args[0] = residual;
            a->args[1] = c;
            a->type = EDDY_SQL_V_BOOL;
            residual = a;
        }
    }
    js->residual = residual;
    return 0;
}

typedef struct order_out {
    eddy_sql_x **order;
    bool *desc;
    uint32_t norder;
} order_out;

static int bind_select(binder *b, const eddy_sql_select *s, eddy_sql_select_plan *sel,
                       const eddy_sql_stmt *st, order_out *oo, const char ***names_out,
                       uint32_t *nvisible_out)
{
    int rc;
    memset(sel, 0, sizeof *sel);
    sel->span = s->span;
    sel->distinct = s->distinct;
    sel->top = s->top;
    /* inputs */
    sel->ninputs = s->from ? 1 + s->njoins : 1;
    if (sel->ninputs > 63) {
        return fail(b, s->span, "a SELECT joins at most 63 inputs");
    }
    sel->inputs = eddy_arena_calloc(b->A, sel->ninputs, sizeof *sel->inputs);
    sel->joins = eddy_arena_calloc(b->A, sel->ninputs, sizeof *sel->joins);
    if (!sel->inputs || !sel->joins) {
        return nomem(b);
    }
    if (!s->from) {
        sel->inputs[0].kind = EDDY_SQL_INPUT_ONE;
        sel->inputs[0].span = s->span;
    } else {
        for (uint32_t i = 0; i < sel->ninputs; i++) {
            const eddy_sql_source *src = i == 0 ? s->from : &s->joins[i - 1].source;
            if ((rc = bind_input(b, src, &sel->inputs[i]))) {
                return rc;
            }
            for (uint32_t k = 0; k < i; k++) {
                const eddy_sql_input *o = &sel->inputs[k];
                const eddy_sql_input *in = &sel->inputs[i];
                if (o->name && in->name && ieq(o->name, o->name_len, in->name, in->name_len)) {
                    return fail(b, src->has_alias ? src->alias.span : src->span,
                                "input name '%.*s' is used twice: give one an alias",
                                (int)in->name_len, in->name);
                }
            }
        }
        for (uint32_t i = 0; i < sel->ninputs; i++) {
            const eddy_sql_source *src = i == 0 ? s->from : &s->joins[i - 1].source;
            if ((rc = bind_input_time(b, sel, i, src))) {
                return rc;
            }
        }
    }
    bool has_time = false;
    for (uint32_t i = 0; i < sel->ninputs; i++) {
        has_time |= sel->inputs[i].has_time;
    }
    /* is it an aggregate query? */
    bool single = st->nselects == 1;
    sel->aggregate = s->ngroup_by > 0 || s->having != NULL;
    for (uint32_t i = 0; i < s->nitems && !sel->aggregate; i++) {
        sel->aggregate = ast_has_agg(s->items[i].expr);
    }
    for (uint32_t i = 0; single && i < st->norder_by && !sel->aggregate; i++) {
        sel->aggregate = ast_has_agg(st->order_by[i].expr);
    }
    scope pre;
    memset(&pre, 0, sizeof pre);
    pre.kind = SC_PRE;
    pre.b = b;
    pre.sel = sel;
    pre.nin = sel->ninputs;
    pre.only = -1;
    pre.has_time = has_time;
    /* joins */
    for (uint32_t k = 1; k < sel->ninputs; k++) {
        if ((rc = bind_join(b, sel, k, &s->joins[k - 1], has_time))) {
            return rc;
        }
    }
    /* WHERE */
    if (s->where) {
        pre.noagg = "WHERE (use HAVING to filter groups)";
        if ((rc = bind_expr(&pre, s->where, &sel->where))) {
            return rc;
        }
        if (known(sel->where->type) && sel->where->type != EDDY_SQL_V_BOOL) {
            return fail(b, s->where->span, "WHERE needs a condition, found %s",
                        tname(sel->where->type));
        }
    }
    /* GROUP BY */
    sel->keys = eddy_arena_alloc(b->A, sizeof *sel->keys * (s->ngroup_by + 1));
    if (!sel->keys) {
        return nomem(b);
    }
    const eddy_sql_expr *win = NULL;
    for (uint32_t i = 0; i < s->ngroup_by; i++) {
        const eddy_sql_expr *g = s->group_by[i];
        if (g->kind == EDDY_SQL_EXPR_WINDOW) {
            win = g;
            sel->has_window = true;
            sel->window = g->window;
            if (!has_time) {
                return fail(b, g->span,
                            "%s needs an event time: add TIMESTAMP BY to the input (a file "
                            "has no event time of its own)",
                            eddy_sql_window_name(g->window.kind));
            }
            continue;
        }
        pre.noagg = "GROUP BY";
        if ((rc = bind_expr(&pre, g, &sel->keys[sel->nkeys]))) {
            return rc;
        }
        sel->nkeys++;
    }
    /* GROUP BY System.Timestamp() without a window: ASA's snapshot window,
     * the rows of one event time. It is a tumbling window of one
     * microsecond (end-inclusive: its end is the time itself), so a stream
     * emits each snapshot as the watermark passes it. */
    for (uint32_t i = 0, k = 0; !win && i < s->ngroup_by; i++) {
        const eddy_sql_expr *g = s->group_by[i];
        if (g->kind == EDDY_SQL_EXPR_WINDOW) {
            continue;
        }
        if (g->kind == EDDY_SQL_EXPR_CALL && g->call.func->id == EDDY_SQL_FN_SYSTEM_TIMESTAMP &&
            has_time) {
            memmove(&sel->keys[k], &sel->keys[k + 1], sizeof *sel->keys * (sel->nkeys - k - 1));
            sel->nkeys--;
            sel->has_window = true;
            memset(&sel->window, 0, sizeof sel->window);
            sel->window.kind = EDDY_SQL_WINDOW_TUMBLING;
            sel->window.size.unit = EDDY_SQL_UNIT_MICROSECOND;
            sel->window.size.count = 1;
            sel->window.size.us = 1;
            sel->window.size.span = g->span;
            break;
        }
        k++;
    }
    if (win && win->window.npartition > 0) {
        for (uint32_t i = 0; i < win->window.npartition; i++) {
            eddy_sql_x *px;
            pre.noagg = "PARTITION BY";
            if ((rc = bind_expr(&pre, win->window.partition[i], &px))) {
                return rc;
            }
            bool found = false;
            for (uint32_t k = 0; k < sel->nkeys && !found; k++) {
                found = eddy_sql_x_equal(px, sel->keys[k]);
            }
            if (!found) {
                return fail(b, win->window.partition[i]->span,
                            "SessionWindow's PARTITION BY must name GROUP BY keys");
            }
        }
    }
    /* the select list */
    scope items_sc = pre;
    items_sc.noagg = NULL;
    if (sel->aggregate) {
        items_sc.kind = SC_POST;
    }
    uint32_t capitems = 0;
    const char **names = NULL;
    uint32_t capnames = 0;
    for (uint32_t i = 0; i < s->nitems; i++) {
        const eddy_sql_select_item *it = &s->items[i];
        if (it->expr->kind == EDDY_SQL_EXPR_STAR) {
            if (sel->aggregate) {
                return fail(b, it->expr->span,
                            "SELECT * cannot be used with GROUP BY or aggregates: name the "
                            "columns");
            }
            int only = -1;
            if (it->expr->star.nqualifier > 0) {
                const eddy_sql_ident *q = &it->expr->star.qualifier[0];
                for (uint32_t k = 0; k < sel->ninputs && only < 0; k++) {
                    const eddy_sql_input *in = &sel->inputs[k];
                    if (in->name && ieq(in->name, in->name_len, q->str, q->len)) {
                        only = (int)k;
                    }
                }
                if (only < 0) {
                    return fail(b, q->span, "unknown input '%.*s'", (int)q->len, q->str);
                }
            }
            for (uint32_t k = 0; k < sel->ninputs; k++) {
                const eddy_sql_input *in = &sel->inputs[k];
                if ((only < 0 || (int)k == only) && in->kind == EDDY_SQL_INPUT_SOURCE &&
                    in->opts.kind == EDDY_SQL_SRC_HUB && in->nknown <= 6) {
                    /* the six fixed columns: no event told the Body's fields */
                    return fail(b, it->expr->span,
                                "SELECT * over a hub needs the columns named: the hub has no "
                                "events yet to learn its fields from");
                }
                if ((only < 0 || (int)k == only) && in->kind == EDDY_SQL_INPUT_SOURCE &&
                    in->nknown == 0) {
                    return fail(b, it->expr->span,
                                "SELECT * needs the input's columns, and none are known "
                                "(an empty input?): name the columns");
                }
                if (in->kind == EDDY_SQL_INPUT_ONE) {
                    return fail(b, it->expr->span, "SELECT * needs a FROM");
                }
            }
            eddy_sql_x **xs;
            const char **ns;
            uint32_t n;
            if ((rc = all_columns(&pre, only, it->expr->span, &xs, &ns, &n))) {
                return rc;
            }
            for (uint32_t k = 0; k < n; k++) {
                if ((rc = grow(b, (void **)&sel->items, sel->nitems, &capitems,
                               sizeof *sel->items)) ||
                    (rc = grow(b, (void **)&names, sel->nitems, &capnames, sizeof *names))) {
                    return rc;
                }
                sel->items[sel->nitems] = xs[k];
                names[sel->nitems++] = ns[k];
            }
            continue;
        }
        if ((rc = grow(b, (void **)&sel->items, sel->nitems, &capitems, sizeof *sel->items)) ||
            (rc = grow(b, (void **)&names, sel->nitems, &capnames, sizeof *names))) {
            return rc;
        }
        if ((rc = bind_expr(&items_sc, it->expr, &sel->items[sel->nitems]))) {
            return rc;
        }
        names[sel->nitems] = item_name(b, it);
        if (!names[sel->nitems]) {
            return nomem(b);
        }
        sel->nitems++;
    }
    uint32_t nvisible = sel->nitems;
    for (uint32_t i = 0; i < nvisible; i++) {
        for (uint32_t k = 0; k < i; k++) {
            if (ieq(names[i], strlen(names[i]), names[k], strlen(names[k]))) {
                const eddy_sql_expr *e = NULL;
                uint32_t idx = 0;
                for (uint32_t m = 0; m < s->nitems; m++) {
                    if (s->items[m].expr->kind == EDDY_SQL_EXPR_STAR) {
                        e = s->items[m].expr;
                        break;
                    }
                    if (idx++ == i) {
                        e = s->items[m].expr;
                        break;
                    }
                }
                return fail(b, e ? e->span : s->span,
                            "duplicate output column '%s': give one of them an alias (AS name)",
                            names[i]);
            }
        }
    }
    *names_out = names;
    *nvisible_out = nvisible;
    /* HAVING */
    if (s->having) {
        scope hs = items_sc;
        if ((rc = bind_expr(&hs, s->having, &sel->having))) {
            return rc;
        }
        if (known(sel->having->type) && sel->having->type != EDDY_SQL_V_BOOL) {
            return fail(b, s->having->span, "HAVING needs a condition, found %s",
                        tname(sel->having->type));
        }
    }
    /* ORDER BY of a single SELECT: output names, items, or hidden columns */
    if (single && st->norder_by > 0) {
        oo->norder = st->norder_by;
        oo->order = eddy_arena_alloc(b->A, sizeof *oo->order * oo->norder);
        oo->desc = eddy_arena_alloc(b->A, sizeof *oo->desc * oo->norder);
        if (!oo->order || !oo->desc) {
            return nomem(b);
        }
        scope os = items_sc;
        os.noagg = "ORDER BY";
        if (!sel->aggregate) {
            os.alias_names = names;
            os.alias_x = sel->items;
            os.nalias = nvisible;
        }
        for (uint32_t i = 0; i < st->norder_by; i++) {
            const eddy_sql_expr *e = st->order_by[i].expr;
            oo->desc[i] = st->order_by[i].desc;
            int col = -1;
            if (e->kind == EDDY_SQL_EXPR_COLUMN && e->column.nparts == 1) {
                for (uint32_t k = 0; k < nvisible && col < 0; k++) {
                    if (ieq(names[k], strlen(names[k]), e->column.parts[0].str,
                            e->column.parts[0].len)) {
                        col = (int)k;
                    }
                }
            }
            eddy_sql_vtype t = EDDY_SQL_V_ANY;
            if (col < 0) {
                eddy_sql_x *x;
                if ((rc = bind_expr(&os, e, &x))) {
                    return rc;
                }
                for (uint32_t k = 0; k < sel->nitems && col < 0; k++) {
                    if (eddy_sql_x_equal(x, sel->items[k])) {
                        col = (int)k;
                    }
                }
                if (col < 0) {
                    if (sel->distinct) {
                        return fail(b, e->span,
                                    "with SELECT DISTINCT, ORDER BY can only use the selected "
                                    "columns");
                    }
                    if ((rc = grow(b, (void **)&sel->items, sel->nitems, &capitems,
                                   sizeof *sel->items))) {
                        return rc;
                    }
                    sel->items[sel->nitems] = x;
                    col = (int)sel->nitems++;
                }
            }
            t = sel->items[col]->type;
            if (t == EDDY_SQL_V_RECORD || t == EDDY_SQL_V_ARRAY) {
                return fail(b, e->span, "cannot order by a %s", tname(t));
            }
            oo->order[i] = direct_col(b, e->span, (uint32_t)col, t);
            if (!oo->order[i]) {
                return nomem(b);
            }
        }
    }
    /* the output row's event time */
    if (sel->aggregate) {
        if (sel->has_window) {
            sel->time = direct_col(b, s->span, sel->nkeys, EDDY_SQL_V_TIME);
        } else if (has_time) {
            eddy_sql_expr fake;
            memset(&fake, 0, sizeof fake);
            fake.kind = EDDY_SQL_EXPR_CALL;
            fake.span = s->span;
            fake.call.func = eddy_sql_func_get(EDDY_SQL_FN_SYSTEM_TIMESTAMP);
            if ((rc = bind_expr(&items_sc, &fake, &sel->time))) {
                return rc;
            }
        } else {
            sel->time = const_null(b, s->span, EDDY_SQL_V_TIME);
        }
    } else if (has_time) {
        if ((rc = time_col(&pre, s->span, &sel->time))) {
            return rc;
        }
    } else {
        sel->time = const_null(b, s->span, EDDY_SQL_V_TIME);
    }
    if (!sel->time) {
        return nomem(b);
    }
    /* layout: fix up column positions */
    uint32_t *base = eddy_arena_alloc(b->A, sizeof *base * sel->ninputs);
    if (!base) {
        return nomem(b);
    }
    uint32_t w = 0;
    for (uint32_t i = 0; i < sel->ninputs; i++) {
        base[i] = w;
        w += sel->inputs[i].ncols + 1 + (i > 0 ? 1 : 0);
    }
    sel->width = w;
    for (uint32_t i = 0; i < sel->ninputs; i++) {
        eddy_sql_input *in = &sel->inputs[i];
        if (in->time) {
            fixup_local(in->time, in);
        }
    }
    for (uint32_t k = 1; k < sel->ninputs; k++) {
        eddy_sql_join_spec *js = &sel->joins[k - 1];
        join_bound(sel, k, base);
        for (uint32_t i = 0; i < js->nkeys; i++) {
            fixup(js->lkeys[i], sel, base);
            fixup_local(js->rkeys[i], &sel->inputs[k]);
        }
        if (js->residual) {
            fixup(js->residual, sel, base);
        }
    }
    if (sel->where) {
        fixup(sel->where, sel, base);
    }
    for (uint32_t i = 0; i < sel->nkeys; i++) {
        fixup(sel->keys[i], sel, base);
    }
    for (uint32_t i = 0; i < sel->naggs; i++) {
        eddy_sql_agg *a = &sel->aggs[i];
        if (a->arg) {
            fixup(a->arg, sel, base);
        }
        for (uint32_t k = 0; k < a->norder; k++) {
            fixup(a->order[k], sel, base);
        }
    }
    if (!sel->aggregate) {
        for (uint32_t i = 0; i < sel->nitems; i++) {
            fixup(sel->items[i], sel, base);
        }
        fixup(sel->time, sel, base);
    }
    /* projection pushdown */
    for (uint32_t i = 0; i < sel->ninputs; i++) {
        eddy_sql_input *in = &sel->inputs[i];
        if (in->kind != EDDY_SQL_INPUT_SOURCE) {
            continue;
        }
        char msg[EDDY_SQL_ERROR_MSG_MAX];
        msg[0] = 0;
        rc = b->opts->api->project(in->src, in->paths, in->ncols, msg, sizeof msg);
        if (rc) {
            eddy_sql_error_set(b->err, EDDY_ERR_INVALID_ARG, b->text, b->len, in->span.off,
                               in->span.len, "%s", msg[0] ? msg : eddy_err_str(rc));
            return EDDY_ERR_INVALID_ARG;
        }
    }
    return 0;
}

/* ---- statements -------------------------------------------------------- */

/* The name of a column reference's last part, or NULL. */
static const eddy_sql_ident *column_name(const eddy_sql_expr *e)
{
    if (e && e->kind == EDDY_SQL_EXPR_COLUMN && e->column.nparts > 0) {
        return &e->column.parts[e->column.nparts - 1];
    }
    return NULL;
}

/* INTO hub('name'): the rows go to another hub, keyed by the output column
 * named like the FROM's PARTITION BY column, else the first GROUP BY key. */
static int bind_into_hub(binder *b, const eddy_sql_stmt *s, const eddy_sql_source *into,
                         eddy_sql_stmt_plan *sp)
{
    const eddy_sql_expr *call = into->call;
    if (call->call.nargs != 1) {
        return fail(b, call->span, "hub() takes the hub's name");
    }
    int rc = string_arg(b, call->call.args[0], "the name of hub()", &sp->into_hub);
    if (rc) {
        return rc;
    }
    sp->into_hub_span = into->span;
    sp->into_key = -1;
    const eddy_sql_select *sel = s->selects[0];
    const eddy_sql_ident *key = NULL;
    const eddy_sql_expr *kx = NULL;
    if (sel->from && sel->from->npartition_by > 0) {
        kx = sel->from->partition_by[0];
        key = column_name(kx);
        if (!key) {
            return fail(b, kx->span,
                        "INTO hub(...) keys its rows by a PARTITION BY column: name a column");
        }
    } else {
        for (uint32_t i = 0; i < sel->ngroup_by && !key; i++) {
            key = column_name(sel->group_by[i]);
        }
    }
    if (!key) {
        return 0;
    }
    for (uint32_t c = 0; c < sp->ncols; c++) {
        if (ieq(sp->names[c], strlen(sp->names[c]), key->str, key->len)) {
            sp->into_key = (int32_t)c;
            return 0;
        }
    }
    if (kx) {
        return fail(b, kx->span,
                    "INTO hub(...) keys its rows by the PARTITION BY column '%.*s': select it too",
                    (int)key->len, key->str);
    }
    return 0;
}

static int bind_stmt(binder *b, const eddy_sql_stmt *s, eddy_sql_stmt_plan *sp)
{
    int rc;
    memset(sp, 0, sizeof *sp);
    sp->span = s->span;
    sp->nselects = s->nselects;
    sp->selects = eddy_arena_calloc(b->A, s->nselects, sizeof *sp->selects);
    sp->union_all = eddy_arena_calloc(b->A, s->nselects, sizeof *sp->union_all);
    if (!sp->selects || !sp->union_all) {
        return nomem(b);
    }
    order_out oo;
    memset(&oo, 0, sizeof oo);
    const char **names0 = NULL;
    uint32_t nvis0 = 0;
    for (uint32_t i = 0; i < s->nselects; i++) {
        const char **names = NULL;
        uint32_t nvis = 0;
        if ((rc = bind_select(b, s->selects[i], &sp->selects[i], s, &oo, &names, &nvis))) {
            return rc;
        }
        sp->union_all[i] = s->selects[i]->union_all;
        if (i == 0) {
            names0 = names;
            nvis0 = nvis;
        } else if (nvis != nvis0) {
            return fail(b, s->selects[i]->span,
                        "each SELECT of a UNION must have the same number of columns: the "
                        "first has %u, this one has %u",
                        nvis0, nvis);
        }
    }
    sp->names = names0;
    sp->ncols = nvis0;
    sp->nhidden = sp->selects[0].nitems - nvis0;
    sp->types = eddy_arena_alloc(b->A, sizeof *sp->types * (sp->selects[0].nitems + 1));
    if (!sp->types) {
        return nomem(b);
    }
    for (uint32_t c = 0; c < sp->selects[0].nitems; c++) {
        eddy_sql_vtype t = sp->selects[0].items[c]->type;
        for (uint32_t i = 1; i < sp->nselects; i++) {
            t = unify(t, sp->selects[i].items[c]->type);
        }
        sp->types[c] = t;
    }
    sp->has_time = false;
    for (uint32_t i = 0; i < sp->nselects; i++) {
        const eddy_sql_select_plan *sel = &sp->selects[i];
        sp->has_time |= sel->time->kind != EDDY_SQL_X_CONST;
    }
    /* ORDER BY */
    if (s->nselects == 1) {
        sp->order = oo.order;
        sp->desc = oo.desc;
        sp->norder = oo.norder;
    } else if (s->norder_by > 0) {
        scope os;
        memset(&os, 0, sizeof os);
        os.kind = SC_OUTPUT;
        os.b = b;
        os.stmt = sp;
        os.noagg = "ORDER BY of a UNION";
        sp->norder = s->norder_by;
        sp->order = eddy_arena_alloc(b->A, sizeof *sp->order * sp->norder);
        sp->desc = eddy_arena_alloc(b->A, sizeof *sp->desc * sp->norder);
        if (!sp->order || !sp->desc) {
            return nomem(b);
        }
        for (uint32_t i = 0; i < s->norder_by; i++) {
            if ((rc = bind_expr(&os, s->order_by[i].expr, &sp->order[i]))) {
                return rc;
            }
            sp->desc[i] = s->order_by[i].desc;
        }
    }
    /* LIMIT, and the TOP of a single SELECT */
    sp->limit = s->limit;
    if (s->nselects == 1 && sp->selects[0].top >= 0) {
        if (sp->limit < 0 || sp->selects[0].top < sp->limit) {
            sp->limit = sp->selects[0].top;
        }
        sp->selects[0].top = -1;
    }
    /* INTO */
    const eddy_sql_source *into = s->selects[0]->into;
    if (into) {
        if (into->kind == EDDY_SQL_SOURCE_FILE) {
            sp->into_file = eddy_arena_strndup(b->A, into->file, into->file_len);
        } else if (into->kind == EDDY_SQL_SOURCE_CALL) {
            int hrc = bind_into_hub(b, s, into, sp);
            if (hrc) {
                return hrc;
            }
        }
    }
    return 0;
}

int eddy_sql_bind(const eddy_sql_query *q, const char *text, size_t len,
                  const eddy_sql_bind_opts *opts, eddy_sql_plan **out, eddy_sql_error *err)
{
    *out = NULL;
    memset(err, 0, sizeof *err);
    eddy_sql_plan *p = calloc(1, sizeof *p);
    if (!p) {
        eddy_sql_error_set(err, EDDY_ERR_NOMEM, text, len, 0, 0, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    eddy_arena_init(&p->arena, 0, 0);
    p->text = text;
    p->textlen = len;
    p->api = opts->api;
    binder b = {
        .plan = p, .A = &p->arena, .text = text, .len = len, .err = err, .opts = opts, .q = q};
    int rc = 0;
    p->nsteps = q->nsteps;
    p->steps = eddy_arena_calloc(b.A, q->nsteps + 1, sizeof *p->steps);
    p->step_names = eddy_arena_calloc(b.A, q->nsteps + 1, sizeof *p->step_names);
    p->nstmts = q->nstmts;
    p->stmts = eddy_arena_calloc(b.A, q->nstmts + 1, sizeof *p->stmts);
    if (!p->steps || !p->step_names || !p->stmts) {
        rc = nomem(&b);
        goto fail;
    }
    for (uint32_t i = 0; i < q->nsteps; i++) {
        const eddy_sql_step *st = &q->steps[i];
        for (uint32_t k = 0; k < i; k++) {
            if (ieq(p->step_names[k], strlen(p->step_names[k]), st->name.str, st->name.len)) {
                rc = fail(&b, st->name.span, "step '%.*s' is defined twice", (int)st->name.len,
                          st->name.str);
                goto fail;
            }
        }
        b.nvisible = i;
        if ((rc = bind_stmt(&b, st->body, &p->steps[i]))) {
            goto fail;
        }
        p->step_names[i] = eddy_arena_strndup(b.A, st->name.str, st->name.len);
        if (!p->step_names[i]) {
            rc = nomem(&b);
            goto fail;
        }
        if (p->steps[i].into_file || p->steps[i].into_hub) {
            rc = fail(&b, st->span, "a WITH step cannot have INTO");
            goto fail;
        }
    }
    b.nvisible = q->nsteps;
    for (uint32_t i = 0; i < q->nstmts; i++) {
        if ((rc = bind_stmt(&b, q->stmts[i], &p->stmts[i]))) {
            goto fail;
        }
    }
    bool streams = false;
    for (uint32_t i = 0; i < p->nsources; i++) {
        streams |= p->sources[i]->opts.kind == EDDY_SQL_SRC_HUB;
    }
    for (uint32_t i = 0; i < p->nstmts && !streams; i++) {
        if (p->stmts[i].into_hub) {
            rc = fail(&b, p->stmts[i].into_hub_span,
                      "INTO hub(...) is not supported in batch queries yet: use --out FILE "
                      "or INTO 'file'");
            goto fail;
        }
    }
    *out = p;
    return 0;
fail:
    if (!err->code) {
        err->code = rc;
    }
    eddy_sql_plan_free(p);
    return rc;
}

void eddy_sql_plan_free(eddy_sql_plan *p)
{
    if (!p) {
        return;
    }
    for (uint32_t i = 0; i < p->ncompiled; i++) {
        eddy_sql_x_release(p->compiled[i]);
    }
    for (uint32_t i = 0; i < p->nsources; i++) {
        if (p->sources[i]->src) {
            p->api->close(p->sources[i]->src);
            p->sources[i]->src = NULL;
        }
    }
    eddy_arena_deinit(&p->arena);
    free(p);
}
