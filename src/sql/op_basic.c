/* The simple operators: input (event time), filter, project, limit,
 * union, exchange and DISTINCT (docs/sql-engine.md "Chunks and
 * operators").
 *
 * input, filter, project and union keep no state between chunks, so
 * workers push through them at once. limit and DISTINCT see rows on one
 * thread; an exchange in front of them collects the workers' chunks and
 * replays them in input order at finish. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/map.h"
#include "sql/exec_int.h"
#include "sql/value.h"

static void plain_free(op *o)
{
    free(o);
}

/* ---- input: the input's columns and its event time --------------------- */

typedef struct op_input {
    op base;
    const eddy_sql_input *in;
} op_input;

/* Turns an evaluated event time into a TIME (or null) vector: datetimes
 * pass, ISO-8601 strings are parsed, anything else fails the query. */
static int to_time(const eddy_sql_x *x, ctx *c, eddy_sql_vec *t)
{
    if (t->type == EDDY_SQL_V_TIME || t->type == EDDY_SQL_V_NULL) {
        return 0;
    }
    if (eddy_sql_vec_flatten(t, &c->scratch) != 0) {
        return ctx_nomem(c);
    }
    eddy_sql_vec out;
    if (eddy_sql_vec_alloc(&out, &c->scratch, EDDY_SQL_V_TIME, t->n) != 0) {
        return ctx_nomem(c);
    }
    for (uint32_t r = 0; r < t->n; r++) {
        eddy_sql_value v = eddy_sql_vec_get(t, r);
        int64_t us;
        if (v.type == EDDY_SQL_V_NULL) {
            out.valid[r] = 0;
            out.i[r] = 0;
        } else if (v.type == EDDY_SQL_V_TIME) {
            out.i[r] = v.i;
        } else if (v.type == EDDY_SQL_V_STRING && eddy_sql_time_parse(v.s.p, v.s.len, &us)) {
            out.i[r] = us;
        } else {
            eddy_buf b;
            eddy_buf_init(&b, 256);
            eddy_sql_value_json(&b, &v);
            eddy_buf_put_u8(&b, 0);
            int rc = eddy_sql_x_fail(x, &c->x, "the event time %s is not a datetime",
                                     b.err ? "?" : (const char *)b.data);
            eddy_buf_deinit(&b);
            return rc;
        }
    }
    *t = out;
    return 0;
}

static int input_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_input *p = (op_input *)o;
    uint32_t nc = p->in->ncols;
    eddy_sql_chunk out = {.nrows = in->nrows, .ncols = nc + 1, .arena = &c->scratch};
    out.cols = eddy_arena_alloc(&c->scratch, sizeof *out.cols * (nc + 1));
    if (!out.cols) {
        return ctx_nomem(c);
    }
    if (nc) {
        memcpy(out.cols, in->cols, sizeof *out.cols * nc);
    }
    eddy_sql_vec *t = &out.cols[nc];
    if (!p->in->time) {
        memset(t, 0, sizeof *t);
        t->type = EDDY_SQL_V_NULL;
        t->n = in->nrows;
    } else {
        int rc = eddy_sql_x_eval(p->in->time, &c->x, in, t);
        if (rc || (rc = to_time(p->in->time, c, t))) {
            return rc;
        }
    }
    exec *ex = o->ex;
    if (ex->time_hook && p->in->kind == EDDY_SQL_INPUT_SOURCE) {
        int rc = ex->time_hook(ex->hook_arg, p->in, c, &out);
        if (rc || out.nrows == 0) {
            return rc;
        }
    }
    return op_emit(o, c, &out);
}

static const op_vt input_vt = {
    .name = "input",
    .push = input_push,
    .advance = op_advance_pass,
    .finish = op_finish_pass,
    .free = plain_free,
    .par_in = true,
    .stateless = true,
};

op *op_input_new(exec *ex, const eddy_sql_input *in)
{
    op_input *o = (op_input *)op_new(ex, sizeof *o, &input_vt, 1);
    if (o) {
        o->in = in;
    }
    return o ? &o->base : NULL;
}

/* ---- filter ------------------------------------------------------------ */

typedef struct op_filter {
    op base;
    const eddy_sql_x *pred;
} op_filter;

static int filter_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_filter *f = (op_filter *)o;
    uint32_t *sel = eddy_arena_alloc(&c->scratch, sizeof *sel * (in->nrows ? in->nrows : 1));
    if (!sel) {
        return ctx_nomem(c);
    }
    uint32_t n;
    int rc = eddy_sql_x_select(f->pred, &c->x, in, sel, &n);
    if (rc) {
        return rc;
    }
    if (n == 0) {
        return 0;
    }
    if (n == in->nrows) {
        return op_emit(o, c, in);
    }
    eddy_sql_chunk out;
    if (eddy_sql_chunk_gather(in, sel, n, &c->scratch, &out) != 0) {
        return ctx_nomem(c);
    }
    return op_emit(o, c, &out);
}

static const op_vt filter_vt = {
    .name = "filter",
    .push = filter_push,
    .advance = op_advance_pass,
    .finish = op_finish_pass,
    .free = plain_free,
    .par_in = true,
    .stateless = true,
};

op *op_filter_new(exec *ex, const eddy_sql_x *pred)
{
    op_filter *o = (op_filter *)op_new(ex, sizeof *o, &filter_vt, 1);
    if (o) {
        o->pred = pred;
    }
    return o ? &o->base : NULL;
}

/* ---- project ----------------------------------------------------------- */

typedef struct op_project {
    op base;
    eddy_sql_x *const *items;
    uint32_t nitems;
    const eddy_sql_x *time;
} op_project;

static int project_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_project *p = (op_project *)o;
    eddy_sql_chunk out = {.nrows = in->nrows, .ncols = p->nitems + 1, .arena = &c->scratch};
    out.cols = eddy_arena_alloc(&c->scratch, sizeof *out.cols * (p->nitems + 1));
    if (!out.cols) {
        return ctx_nomem(c);
    }
    for (uint32_t i = 0; i < p->nitems; i++) {
        int rc = eddy_sql_x_eval(p->items[i], &c->x, in, &out.cols[i]);
        if (rc) {
            return rc;
        }
    }
    int rc = eddy_sql_x_eval(p->time, &c->x, in, &out.cols[p->nitems]);
    if (rc) {
        return rc;
    }
    return op_emit(o, c, &out);
}

static const op_vt project_vt = {
    .name = "project",
    .push = project_push,
    .advance = op_advance_pass,
    .finish = op_finish_pass,
    .free = plain_free,
    .par_in = true,
    .stateless = true,
};

op *op_project_new(exec *ex, eddy_sql_x *const *items, uint32_t nitems, const eddy_sql_x *time)
{
    op_project *o = (op_project *)op_new(ex, sizeof *o, &project_vt, 1);
    if (o) {
        o->items = items;
        o->nitems = nitems;
        o->time = time;
    }
    return o ? &o->base : NULL;
}

/* ---- limit ------------------------------------------------------------- */

typedef struct op_limit {
    op base;
    int64_t left;
} op_limit;

static int limit_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_limit *l = (op_limit *)o;
    if (l->left <= 0) {
        return 0;
    }
    if ((int64_t)in->nrows <= l->left) {
        l->left -= in->nrows;
        return op_emit(o, c, in);
    }
    /* a prefix: the same vectors with fewer rows */
    eddy_sql_chunk out = *in;
    out.nrows = (uint32_t)l->left;
    out.cols = eddy_arena_alloc(&c->scratch, sizeof *out.cols * (in->ncols ? in->ncols : 1));
    if (!out.cols) {
        return ctx_nomem(c);
    }
    for (uint32_t j = 0; j < in->ncols; j++) {
        out.cols[j] = in->cols[j];
        out.cols[j].n = out.nrows;
    }
    l->left = 0;
    return op_emit(o, c, &out);
}

static const op_vt limit_vt = {
    .name = "limit",
    .push = limit_push,
    .advance = op_advance_pass,
    .finish = op_finish_pass,
    .free = plain_free,
    .par_in = false,
    .stateless = true,
};

op *op_limit_new(exec *ex, int64_t limit)
{
    op_limit *o = (op_limit *)op_new(ex, sizeof *o, &limit_vt, 1);
    if (o) {
        o->left = limit;
    }
    return o ? &o->base : NULL;
}

/* ---- part limit: at most N rows of each source part ---------------------
 * Before an exchange that feeds a LIMIT: rows past the N-th of a part can
 * never be among the first N overall, so workers drop them and the
 * exchange keeps at most N rows per part. */

typedef struct plane {
    uint32_t origin, part;
    int64_t seen;
    bool used;
} plane;

typedef struct op_partlimit {
    op base;
    int64_t limit;
    plane *lanes; /* per worker: the part it is on */
    uint32_t nlanes;
} op_partlimit;

static int partlimit_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_partlimit *p = (op_partlimit *)o;
    if (c->tid >= p->nlanes) {
        return op_emit(o, c, in);
    }
    plane *l = &p->lanes[c->tid];
    if (!l->used || l->origin != c->origin || l->part != c->part) {
        l->used = true;
        l->origin = c->origin;
        l->part = c->part;
        l->seen = 0;
    }
    int64_t left = p->limit - l->seen;
    if (left <= 0) {
        return 0;
    }
    if ((int64_t)in->nrows <= left) {
        l->seen += in->nrows;
        return op_emit(o, c, in);
    }
    eddy_sql_chunk out = *in;
    out.nrows = (uint32_t)left;
    out.cols = eddy_arena_alloc(&c->scratch, sizeof *out.cols * (in->ncols ? in->ncols : 1));
    if (!out.cols) {
        return ctx_nomem(c);
    }
    for (uint32_t j = 0; j < in->ncols; j++) {
        out.cols[j] = in->cols[j];
        out.cols[j].n = out.nrows;
    }
    l->seen = p->limit;
    return op_emit(o, c, &out);
}

static void partlimit_free(op *o)
{
    free(((op_partlimit *)o)->lanes);
    free(o);
}

static const op_vt partlimit_vt = {
    .name = "partlimit",
    .push = partlimit_push,
    .advance = op_advance_pass,
    .finish = op_finish_pass,
    .free = partlimit_free,
    .par_in = true,
    .stateless = true,
};

op *op_partlimit_new(exec *ex, int64_t limit)
{
    op_partlimit *o = (op_partlimit *)op_new(ex, sizeof *o, &partlimit_vt, 1);
    if (!o) {
        return NULL;
    }
    o->limit = limit;
    o->nlanes = ex->nthreads;
    o->lanes = calloc(o->nlanes, sizeof *o->lanes);
    return o->lanes ? &o->base : NULL;
}

/* ---- union: two inputs, one output ------------------------------------- */

static int union_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    return op_emit(o, c, in);
}

static const op_vt union_vt = {
    .name = "union",
    .push = union_push,
    .advance = op_advance_pass,
    .finish = op_finish_pass,
    .free = plain_free,
    .par_in = true,
    .stateless = true,
};

op *op_union_new(exec *ex)
{
    return op_new(ex, sizeof(op), &union_vt, 2);
}

/* ---- exchange: from workers to one thread, in input order -------------- */

typedef struct xentry {
    uint32_t origin, part, chunkno;
    eddy_sql_chunk chunk;
} xentry;

typedef struct xlane {
    eddy_arena arena;
    xentry *entries;
    size_t n, cap;
} xlane;

typedef struct op_exchange {
    op base;
    xlane *lanes; /* one per worker */
    uint32_t nlanes;
} op_exchange;

static int exchange_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_exchange *x = (op_exchange *)o;
    if (c->tid >= x->nlanes) {
        return ctx_fail(c, EDDY_ERR_UNKNOWN, "internal error: worker %u of %u", c->tid, x->nlanes);
    }
    xlane *l = &x->lanes[c->tid];
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        xentry *ne = realloc(l->entries, sizeof *ne * nc);
        if (!ne) {
            return ctx_nomem(c);
        }
        l->entries = ne;
        l->cap = nc;
    }
    xentry *e = &l->entries[l->n];
    e->origin = c->origin;
    e->part = c->part;
    e->chunkno = c->chunkno;
    if (chunk_copy(in, &l->arena, &e->chunk) != 0) {
        return ctx_nomem(c);
    }
    l->n++;
    return 0;
}

static int xentry_cmp(const void *a, const void *b)
{
    const xentry *x = *(const xentry *const *)a, *y = *(const xentry *const *)b;
    if (x->origin != y->origin) {
        return x->origin < y->origin ? -1 : 1;
    }
    if (x->part != y->part) {
        return x->part < y->part ? -1 : 1;
    }
    return x->chunkno < y->chunkno ? -1 : x->chunkno > y->chunkno ? 1 : 0;
}

static int exchange_flush(op_exchange *x, ctx *c)
{
    size_t total = 0;
    for (uint32_t i = 0; i < x->nlanes; i++) {
        total += x->lanes[i].n;
    }
    xentry **all = malloc(sizeof *all * (total ? total : 1));
    if (!all) {
        return ctx_nomem(c);
    }
    size_t k = 0;
    for (uint32_t i = 0; i < x->nlanes; i++) {
        for (size_t j = 0; j < x->lanes[i].n; j++) {
            all[k++] = &x->lanes[i].entries[j];
        }
    }
    if (total > 1) {
        qsort(all, total, sizeof *all, xentry_cmp);
    }
    int rc = 0;
    for (size_t i = 0; i < total && !rc; i++) {
        rc = op_emit_own(&x->base, c, &all[i]->chunk);
    }
    free(all);
    for (uint32_t i = 0; i < x->nlanes; i++) {
        x->lanes[i].n = 0;
        eddy_arena_reset(&x->lanes[i].arena);
    }
    return rc;
}

static int exchange_advance(op *o, ctx *c, int64_t wm)
{
    int rc = exchange_flush((op_exchange *)o, c);
    return rc ? rc : op_emit_advance(o, c, wm);
}

static int exchange_finish(op *o, ctx *c, uint32_t port)
{
    if (!op_all_finished(o)) {
        return 0;
    }
    int rc = exchange_flush((op_exchange *)o, c);
    return rc ? rc : op_emit_finish(o, c);
}

static void exchange_free(op *o)
{
    op_exchange *x = (op_exchange *)o;
    for (uint32_t i = 0; i < x->nlanes; i++) {
        free(x->lanes[i].entries);
        eddy_arena_deinit(&x->lanes[i].arena);
    }
    free(x->lanes);
    free(x);
}

static const op_vt exchange_vt = {
    .name = "exchange",
    .push = exchange_push,
    .advance = exchange_advance,
    .finish = exchange_finish,
    .free = exchange_free,
    .par_in = true,
    .stateless = false,
};

op *op_exchange_new(exec *ex)
{
    op_exchange *o = (op_exchange *)op_new(ex, sizeof *o, &exchange_vt, 1);
    if (!o) {
        return NULL;
    }
    o->nlanes = ex->nthreads;
    o->lanes = calloc(o->nlanes, sizeof *o->lanes);
    if (!o->lanes) {
        o->nlanes = 0;
        return NULL;
    }
    for (uint32_t i = 0; i < o->nlanes; i++) {
        eddy_arena_init(&o->lanes[i].arena, 1 << 20, 0);
    }
    return o ? &o->base : NULL;
}

/* ---- DISTINCT: the first of equal rows --------------------------------- */

typedef struct op_distinct {
    op base;
    uint32_t ncols;
    eddy_map seen;
    eddy_buf key;
} op_distinct;

static int distinct_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_distinct *d = (op_distinct *)o;
    uint32_t *sel = eddy_arena_alloc(&c->scratch, sizeof *sel * (in->nrows ? in->nrows : 1));
    if (!sel) {
        return ctx_nomem(c);
    }
    uint32_t n = 0;
    for (uint32_t r = 0; r < in->nrows; r++) {
        eddy_buf_reset(&d->key);
        for (uint32_t j = 0; j < d->ncols && j < in->ncols; j++) {
            eddy_sql_value v = eddy_sql_vec_get(&in->cols[j], r);
            eddy_sql_key_put(&d->key, &v);
        }
        if (d->key.err) {
            return ctx_nomem(c);
        }
        const void *k = d->key.data ? (const void *)d->key.data : "";
        if (eddy_map_has(&d->seen, k, d->key.len)) {
            continue;
        }
        if (eddy_map_put(&d->seen, k, d->key.len, NULL, NULL) != 0) {
            return ctx_nomem(c);
        }
        sel[n++] = r;
    }
    if (n == 0) {
        return 0;
    }
    if (n == in->nrows) {
        return op_emit(o, c, in);
    }
    eddy_sql_chunk out;
    if (eddy_sql_chunk_gather(in, sel, n, &c->scratch, &out) != 0) {
        return ctx_nomem(c);
    }
    return op_emit(o, c, &out);
}

static void distinct_free(op *o)
{
    op_distinct *d = (op_distinct *)o;
    eddy_map_deinit(&d->seen);
    eddy_buf_deinit(&d->key);
    free(d);
}

static const op_vt distinct_vt = {
    .name = "distinct",
    .push = distinct_push,
    .advance = op_advance_pass,
    .finish = op_finish_pass,
    .free = distinct_free,
    .par_in = false,
    .stateless = true,
};

op *op_distinct_new(exec *ex, uint32_t ncols)
{
    op_distinct *o = (op_distinct *)op_new(ex, sizeof *o, &distinct_vt, 1);
    if (o) {
        o->ncols = ncols;
        eddy_map_init(&o->seen);
        eddy_buf_init(&o->key, 0);
    }
    return o ? &o->base : NULL;
}
