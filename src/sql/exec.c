/* The executor: from plan to operator graph, and the threads that drive
 * sources through it (see exec.h).
 *
 * Building walks the plan bottom-up and returns, for each sub-plan, a
 * stream: the operator whose outputs carry its rows, and whether they may
 * come from several workers at once. Attaching a stream to an operator
 * that cannot take concurrent pushes puts an exchange in between. A WITH
 * step is built once, when first read, and feeds every statement that
 * reads it.
 *
 * Running takes the scans one after the other: a source is split into
 * parts, workers take parts from a shared counter and push their chunks;
 * when all parts are done the main thread finishes the scan, which
 * cascades through the graph (an operator with several inputs finishes
 * when all of them have). */
#include "sql/exec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "sql/exec_int.h"
#include "sql/value.h"

typedef struct stream {
    op *op;
    bool par; /* rows may come from several workers at once */
} stream;

/* ---- operator plumbing ------------------------------------------------- */

int op_emit(op *o, ctx *c, const eddy_sql_chunk *chunk)
{
    for (uint32_t i = 0; i < o->nouts; i++) {
        op *to = o->outs[i].to;
        int rc = to->vt->push(to, c, o->outs[i].port, chunk);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* The watermark an operator of several inputs may act on once port has
 * reached wm: the least over its inputs, or false while an input has none
 * yet (or it would not move). */
static bool merged_watermark(op *to, uint32_t port, int64_t wm, int64_t *out)
{
    if (to->ports <= 1 || to->ports > 8 || port >= 8) {
        *out = wm;
        return true;
    }
    uint8_t bit = (uint8_t)(1u << port);
    if (!(to->in_seen & bit) || wm > to->in_wm[port]) {
        to->in_wm[port] = wm;
    }
    to->in_seen |= bit;
    int64_t m = INT64_MAX;
    for (uint32_t p = 0; p < to->ports; p++) {
        uint8_t b = (uint8_t)(1u << p);
        if (to->in_done & b) {
            continue;
        }
        if (!(to->in_seen & b)) {
            return false;
        }
        m = to->in_wm[p] < m ? to->in_wm[p] : m;
    }
    if (m == INT64_MAX || (to->wm_sent && m <= to->wm_out)) {
        return false;
    }
    to->wm_sent = true;
    to->wm_out = m;
    *out = m;
    return true;
}

int op_emit_advance(op *o, ctx *c, int64_t wm)
{
    for (uint32_t i = 0; i < o->nouts; i++) {
        op *to = o->outs[i].to;
        int64_t m;
        if (!merged_watermark(to, o->outs[i].port, wm, &m)) {
            continue;
        }
        int rc = to->vt->advance(to, c, m);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int op_emit_finish(op *o, ctx *c)
{
    for (uint32_t i = 0; i < o->nouts; i++) {
        op *to = o->outs[i].to;
        if (o->outs[i].port < 8) {
            to->in_done |= (uint8_t)(1u << o->outs[i].port);
        }
        int rc = to->vt->finish(to, c, o->outs[i].port);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int op_emit_part(op *o, ctx *c, const eddy_sql_chunk *chunk)
{
    c->origin = c->ex->nscans + o->id;
    int rc = op_emit(o, c, chunk);
    c->chunkno++;
    eddy_arena_reset(&c->scratch);
    return rc;
}

int op_part_end(ctx *c)
{
    exec *ex = c->ex;
    for (uint32_t i = 0; i < ex->npart_ops; i++) {
        op *o = ex->part_ops[i];
        int rc = o->vt->part_end(o, c);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int op_emit_own(op *o, ctx *c, const eddy_sql_chunk *chunk)
{
    static _Thread_local uint32_t counter;
    c->origin = c->ex->nscans + o->id;
    c->part = 0;
    c->chunkno = counter++;
    int rc = op_emit(o, c, chunk);
    eddy_arena_reset(&c->scratch);
    return rc;
}

int op_advance_pass(op *o, ctx *c, int64_t wm)
{
    return op_emit_advance(o, c, wm);
}

bool op_all_finished(op *o)
{
    o->finished++;
    return o->finished >= o->ports;
}

int op_finish_pass(op *o, ctx *c, uint32_t port)
{
    if (!op_all_finished(o)) {
        return 0;
    }
    return op_emit_finish(o, c);
}

op *op_new(exec *ex, size_t size, const op_vt *vt, uint32_t ports)
{
    op *o = calloc(1, size);
    if (!o) {
        return NULL;
    }
    if (ex->nops == ex->capops) {
        uint32_t nc = ex->capops ? ex->capops * 2 : 16;
        op **n = realloc(ex->ops, sizeof *n * nc);
        if (!n) {
            free(o);
            return NULL;
        }
        ex->ops = n;
        ex->capops = nc;
    }
    o->vt = vt;
    o->ex = ex;
    o->id = ex->nops;
    o->ports = ports;
    ex->ops[ex->nops++] = o;
    if (vt->part_end) {
        op **n = realloc(ex->part_ops, sizeof *n * (ex->npart_ops + 1));
        if (!n) {
            return NULL;
        }
        ex->part_ops = n;
        ex->part_ops[ex->npart_ops++] = o;
    }
    return o;
}

void exec_fail_at(exec *ex, const eddy_sql_error *e, uint64_t at)
{
    pthread_mutex_lock(&ex->lock);
    if (!atomic_load(&ex->failed) || at < atomic_load(&ex->fail_at)) {
        *ex->err = *e;
        atomic_store(&ex->fail_at, at);
        atomic_store(&ex->failed, true);
    }
    pthread_mutex_unlock(&ex->lock);
}

void exec_fail(exec *ex, const eddy_sql_error *e)
{
    exec_fail_at(ex, e, UINT64_MAX - 1);
}

bool exec_stop(exec *ex, uint32_t part)
{
    return atomic_load(&ex->failed) && ((uint64_t)part << 32) > atomic_load(&ex->fail_at);
}

int ctx_nomem(ctx *c)
{
    memset(&c->err, 0, sizeof c->err);
    c->err.code = EDDY_ERR_NOMEM;
    snprintf(c->err.msg, sizeof c->err.msg, "out of memory");
    return EDDY_ERR_NOMEM;
}

int ctx_fail(ctx *c, int code, const char *fmt, ...)
{
    memset(&c->err, 0, sizeof c->err);
    c->err.code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err.msg, sizeof c->err.msg, fmt, ap);
    va_end(ap);
    return code;
}

/* ---- chunks ------------------------------------------------------------ */

static int copy_text(eddy_arena *a, eddy_sql_str *s)
{
    if (s->len == 0) {
        s->p = "";
        return 0;
    }
    char *p = eddy_arena_memdup(a, s->p, s->len);
    if (!p) {
        return EDDY_ERR_NOMEM;
    }
    s->p = p;
    return 0;
}

int chunk_copy(const eddy_sql_chunk *in, eddy_arena *arena, eddy_sql_chunk *out)
{
    out->nrows = in->nrows;
    out->ncols = in->ncols;
    out->arena = arena;
    out->cols = eddy_arena_alloc(arena, sizeof *out->cols * (in->ncols ? in->ncols : 1));
    if (!out->cols) {
        return EDDY_ERR_NOMEM;
    }
    for (uint32_t j = 0; j < in->ncols; j++) {
        const eddy_sql_vec *v = &in->cols[j];
        eddy_sql_vec *o = &out->cols[j];
        *o = *v;
        o->n = in->nrows;
        if (v->type == EDDY_SQL_V_NULL) {
            continue;
        }
        uint32_t m = v->constant ? 1 : in->nrows;
        size_t es = v->type == EDDY_SQL_V_BOOL                                ? 1
                    : v->type == EDDY_SQL_V_INT || v->type == EDDY_SQL_V_TIME ? 8
                    : v->type == EDDY_SQL_V_DOUBLE                            ? 8
                    : v->type == EDDY_SQL_V_ANY ? sizeof(eddy_sql_value)
                                                : sizeof(eddy_sql_str);
        o->data = eddy_arena_memdup(arena, v->data, es * (m ? m : 1));
        if (!o->data) {
            return EDDY_ERR_NOMEM;
        }
        if (v->valid) {
            o->valid = eddy_arena_memdup(arena, v->valid, m ? m : 1);
            if (!o->valid) {
                return EDDY_ERR_NOMEM;
            }
        }
        if (v->type == EDDY_SQL_V_STRING || v->type == EDDY_SQL_V_RECORD ||
            v->type == EDDY_SQL_V_ARRAY) {
            /* one allocation for the chunk's text of this column */
            size_t total = 0;
            for (uint32_t r = 0; r < m; r++) {
                if (!v->valid || v->valid[r]) {
                    total += o->s[r].len;
                }
            }
            char *buf = eddy_arena_alloc(arena, total ? total : 1);
            if (!buf) {
                return EDDY_ERR_NOMEM;
            }
            size_t at = 0;
            for (uint32_t r = 0; r < m; r++) {
                if ((!v->valid || v->valid[r]) && o->s[r].len) {
                    memcpy(buf + at, o->s[r].p, o->s[r].len);
                    o->s[r].p = buf + at;
                    at += o->s[r].len;
                } else {
                    o->s[r].p = "";
                    o->s[r].len = v->valid && !v->valid[r] ? 0 : o->s[r].len;
                }
            }
        } else if (v->type == EDDY_SQL_V_ANY) {
            for (uint32_t r = 0; r < m; r++) {
                eddy_sql_value *val = &o->any[r];
                if (val->type == EDDY_SQL_V_STRING || val->type == EDDY_SQL_V_RECORD ||
                    val->type == EDDY_SQL_V_ARRAY) {
                    if (copy_text(arena, &val->s)) {
                        return EDDY_ERR_NOMEM;
                    }
                }
            }
        }
    }
    return 0;
}

int rowbuild_init(rowbuild *rb, uint32_t ncols, eddy_arena *arena)
{
    rb->arena = arena;
    rb->chunk.nrows = 0;
    rb->chunk.ncols = ncols;
    rb->chunk.arena = arena;
    rb->chunk.cols = eddy_arena_alloc(arena, sizeof(eddy_sql_vec) * (ncols ? ncols : 1));
    if (!rb->chunk.cols) {
        return EDDY_ERR_NOMEM;
    }
    for (uint32_t j = 0; j < ncols; j++) {
        if (eddy_sql_vec_alloc(&rb->chunk.cols[j], arena, EDDY_SQL_V_ANY, EDDY_SQL_CHUNK_ROWS)) {
            return EDDY_ERR_NOMEM;
        }
    }
    return 0;
}

int rowbuild_finish(rowbuild *rb, uint32_t nrows)
{
    rb->chunk.nrows = nrows;
    for (uint32_t j = 0; j < rb->chunk.ncols; j++) {
        eddy_sql_vec *v = &rb->chunk.cols[j];
        v->n = nrows;
        if (eddy_sql_vec_narrow(v, rb->arena) != 0) {
            return EDDY_ERR_NOMEM;
        }
    }
    return 0;
}

int order_cmp(const eddy_sql_value *a, const eddy_sql_value *b, bool desc)
{
    int r = eddy_sql_value_order(a, b);
    return desc ? -r : r;
}

/* ---- the scan operator ------------------------------------------------- */

static int scan_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    return op_emit(o, c, in);
}

static void plain_free(op *o)
{
    free(o);
}

static const op_vt scan_vt = {
    .name = "scan",
    .push = scan_push,
    .advance = op_advance_pass,
    .finish = op_finish_pass,
    .free = plain_free,
    .par_in = true,
    .stateless = true,
};

op *op_scan_new(exec *ex)
{
    return op_new(ex, sizeof(op), &scan_vt, 1);
}

/* ---- building the graph ------------------------------------------------ */

typedef struct builder {
    exec *ex;
    stream *steps; /* built step outputs */
    bool *built;
} builder;

static int add_out(op *from, op *to, uint32_t port)
{
    op_out *n = realloc(from->outs, sizeof *n * (from->nouts + 1));
    if (!n) {
        return EDDY_ERR_NOMEM;
    }
    n[from->nouts].to = to;
    n[from->nouts].port = port;
    from->outs = n;
    from->nouts++;
    return 0;
}

/* Connects s to port of to (through an exchange when needed); returns
 * whether to's output may come from several workers. */
static int attach(exec *ex, stream s, op *to, uint32_t port, bool *par_out)
{
    if (s.par && !to->vt->par_in) {
        op *x = op_exchange_new(ex);
        if (!x || add_out(s.op, x, 0) || add_out(x, to, port)) {
            return EDDY_ERR_NOMEM;
        }
        *par_out = false;
        return 0;
    }
    if (add_out(s.op, to, port)) {
        return EDDY_ERR_NOMEM;
    }
    *par_out = (s.par && to->vt->stateless) || (to->par_out && ex->nthreads > 1);
    return 0;
}

/* to takes s on port 0; returns the stream of to's output. */
static int chain(exec *ex, stream *s, op *to)
{
    if (!to) {
        return EDDY_ERR_NOMEM;
    }
    bool par;
    int rc = attach(ex, *s, to, 0, &par);
    if (rc) {
        return rc;
    }
    s->op = to;
    s->par = par;
    return 0;
}

static int build_stmt(builder *bd, eddy_sql_stmt_plan *st, stream *out);

static int add_scan(exec *ex, eddy_sql_input *in, stream *out)
{
    op *o = op_scan_new(ex);
    if (!o) {
        return EDDY_ERR_NOMEM;
    }
    if (ex->nscans == ex->capscans) {
        uint32_t nc = ex->capscans ? ex->capscans * 2 : 8;
        scan *n = realloc(ex->scans, sizeof *n * nc);
        if (!n) {
            return EDDY_ERR_NOMEM;
        }
        ex->scans = n;
        ex->capscans = nc;
    }
    ex->scans[ex->nscans].op = o;
    ex->scans[ex->nscans].in = in;
    ex->scans[ex->nscans].index = ex->nscans;
    ex->nscans++;
    out->op = o;
    out->par = in->kind == EDDY_SQL_INPUT_SOURCE && ex->nthreads > 1;
    return 0;
}

static int build_input(builder *bd, eddy_sql_input *in, stream *out)
{
    exec *ex = bd->ex;
    int rc;
    stream s;
    if (in->kind == EDDY_SQL_INPUT_STEP) {
        if (!bd->built[in->step]) {
            if ((rc = build_stmt(bd, &ex->plan->steps[in->step], &bd->steps[in->step]))) {
                return rc;
            }
            bd->built[in->step] = true;
        }
        s = bd->steps[in->step];
    } else if ((rc = add_scan(ex, in, &s))) {
        return rc;
    }
    if ((rc = chain(ex, &s, op_input_new(ex, in)))) {
        return rc;
    }
    *out = s;
    return 0;
}

static int build_select(builder *bd, eddy_sql_select_plan *sel, stream *out)
{
    exec *ex = bd->ex;
    int rc;
    stream s;
    if ((rc = build_input(bd, &sel->inputs[0], &s))) {
        return rc;
    }
    uint32_t lwidth = sel->inputs[0].ncols + 1;
    for (uint32_t k = 1; k < sel->ninputs; k++) {
        stream r;
        if ((rc = build_input(bd, &sel->inputs[k], &r))) {
            return rc;
        }
        uint32_t rwidth = sel->inputs[k].ncols + 1;
        op *j = op_join_new(ex, &sel->joins[k - 1], lwidth, rwidth);
        if (!j) {
            return EDDY_ERR_NOMEM;
        }
        bool p1, p2;
        if ((rc = attach(ex, s, j, 0, &p1)) || (rc = attach(ex, r, j, 1, &p2))) {
            return rc;
        }
        s.op = j;
        s.par = false;
        lwidth += rwidth + 1;
    }
    if (sel->where && (rc = chain(ex, &s, op_filter_new(ex, sel->where)))) {
        return rc;
    }
    if (sel->aggregate) {
        if ((rc = chain(ex, &s, op_aggregate_new(ex, sel)))) {
            return rc;
        }
        if (sel->having && (rc = chain(ex, &s, op_filter_new(ex, sel->having)))) {
            return rc;
        }
    }
    if ((rc = chain(ex, &s, op_project_new(ex, sel->items, sel->nitems, sel->time)))) {
        return rc;
    }
    if (sel->distinct && (rc = chain(ex, &s, op_distinct_new(ex, sel->nitems)))) {
        return rc;
    }
    if (sel->top >= 0) {
        if (s.par && (rc = chain(ex, &s, op_partlimit_new(ex, sel->top)))) {
            return rc;
        }
        if ((rc = chain(ex, &s, op_limit_new(ex, sel->top)))) {
            return rc;
        }
    }
    *out = s;
    return 0;
}

static int build_stmt(builder *bd, eddy_sql_stmt_plan *st, stream *out)
{
    exec *ex = bd->ex;
    int rc;
    stream s;
    if ((rc = build_select(bd, &st->selects[0], &s))) {
        return rc;
    }
    for (uint32_t i = 1; i < st->nselects; i++) {
        stream r;
        if ((rc = build_select(bd, &st->selects[i], &r))) {
            return rc;
        }
        op *u = op_union_new(ex);
        if (!u) {
            return EDDY_ERR_NOMEM;
        }
        bool p1, p2;
        if ((rc = attach(ex, s, u, 0, &p1)) || (rc = attach(ex, r, u, 1, &p2))) {
            return rc;
        }
        s.op = u;
        s.par = p1 || p2;
        if (!st->union_all[i] && (rc = chain(ex, &s, op_distinct_new(ex, st->ncols)))) {
            return rc;
        }
    }
    if (st->norder > 0) {
        if ((rc = chain(ex, &s, op_sort_new(ex, st->order, st->desc, st->norder, st->limit)))) {
            return rc;
        }
    } else if (st->limit >= 0) {
        if (s.par && (rc = chain(ex, &s, op_partlimit_new(ex, st->limit)))) {
            return rc;
        }
        if ((rc = chain(ex, &s, op_limit_new(ex, st->limit)))) {
            return rc;
        }
    }
    *out = s;
    return 0;
}

/* ---- running ----------------------------------------------------------- */

void ctx_init(ctx *c, exec *ex, uint32_t tid)
{
    memset(c, 0, sizeof *c);
    c->tid = tid;
    c->ex = ex;
    eddy_arena_init(&c->scratch, 1 << 16, 0);
    c->x.arena = &c->scratch;
    c->x.err = &c->err;
    c->x.text = ex->plan->text;
    c->x.textlen = ex->plan->textlen;
}

void ctx_deinit(ctx *c)
{
    eddy_arena_deinit(&c->scratch);
}

typedef struct worker {
    exec *ex;
    scan *sc;
    size_t nparts;
    atomic_size_t *next;
    ctx *c; /* own, or the main thread's when reading there */
    ctx own;
    pthread_t thread;
} worker;

/* Reads parts until none are left; the first error stops every worker. */
static void *work(void *arg)
{
    worker *w = arg;
    exec *ex = w->ex;
    ctx *c = w->c;
    eddy_sql_input *in = w->sc->in;
    c->worker = true;
    for (;;) {
        size_t part = atomic_fetch_add(w->next, 1);
        if (part >= w->nparts || exec_stop(ex, (uint32_t)part)) {
            break;
        }
        uint64_t at = (uint64_t)part << 32;
        eddy_sql_src_reader *r = NULL;
        int rc = ex->api->reader_open(in->src, part, &r);
        if (rc) {
            ctx_fail(c, rc, "cannot read %s (part %zu): %s", in->opts.pattern, part,
                     eddy_err_str(rc));
            exec_fail_at(ex, &c->err, at);
            break;
        }
        c->origin = w->sc->index;
        c->part = (uint32_t)part;
        c->chunkno = 0;
        for (;;) {
            eddy_sql_chunk chunk;
            memset(&chunk, 0, sizeof chunk);
            char msg[EDDY_SQL_ERROR_MSG_MAX];
            msg[0] = 0;
            at = ((uint64_t)part << 32) | c->chunkno;
            rc = ex->api->read(r, &chunk, msg, sizeof msg);
            if (rc) {
                ctx_fail(c, rc, "%s", msg[0] ? msg : eddy_err_str(rc));
                exec_fail_at(ex, &c->err, at);
                break;
            }
            if (chunk.nrows == 0) {
                break;
            }
            if (chunk.ncols != in->ncols) {
                ctx_fail(c, EDDY_ERR_CORRUPT, "%s: the source gave %u columns, %u were asked for",
                         in->opts.pattern, chunk.ncols, in->ncols);
                exec_fail_at(ex, &c->err, at);
                rc = EDDY_ERR_CORRUPT;
                break;
            }
            rc = op_emit(w->sc->op, c, &chunk);
            eddy_arena_reset(&c->scratch);
            c->chunkno++;
            if (rc) {
                exec_fail_at(ex, &c->err, at);
                break;
            }
            if (exec_stop(ex, (uint32_t)part)) {
                rc = EDDY_ERR_UNKNOWN; /* an earlier part failed */
                break;
            }
        }
        ex->api->reader_close(r);
        if (rc) {
            break;
        }
        for (uint32_t i = 0; i < ex->npart_ops; i++) {
            op *o = ex->part_ops[i];
            if ((rc = o->vt->part_end(o, c))) {
                exec_fail_at(ex, &c->err, at);
                break;
            }
        }
        if (rc) {
            break;
        }
    }
    c->worker = false;
    return NULL;
}

static int run_scan(exec *ex, scan *sc, ctx *main)
{
    int rc = 0;
    eddy_sql_input *in = sc->in;
    if (in->kind == EDDY_SQL_INPUT_ONE) {
        eddy_sql_chunk one = {.nrows = 1, .ncols = 0, .cols = NULL, .arena = &main->scratch};
        main->origin = sc->index;
        main->part = 0;
        main->chunkno = 0;
        rc = op_emit(sc->op, main, &one);
        eddy_arena_reset(&main->scratch);
        if (rc) {
            exec_fail(ex, &main->err);
            return rc;
        }
    } else {
        size_t nparts = ex->api->split(in->src, ex->nthreads);
        size_t nw = nparts < ex->nthreads ? nparts : ex->nthreads;
        atomic_size_t next = 0;
        if (nw <= 1) {
            worker w = {.ex = ex, .sc = sc, .nparts = nparts, .next = &next, .c = main};
            work(&w);
        } else {
            worker *ws = calloc(nw, sizeof *ws);
            if (!ws) {
                return ctx_nomem(main);
            }
            size_t started = 0;
            for (size_t i = 0; i < nw; i++) {
                ws[i].ex = ex;
                ws[i].sc = sc;
                ws[i].nparts = nparts;
                ws[i].next = &next;
                ctx_init(&ws[i].own, ex, (uint32_t)i);
                ws[i].c = &ws[i].own;
                if (pthread_create(&ws[i].thread, NULL, work, &ws[i]) != 0) {
                    ctx_deinit(&ws[i].own);
                    break;
                }
                started++;
            }
            if (started == 0) {
                /* no thread could start: read on this one */
                worker w = {.ex = ex, .sc = sc, .nparts = nparts, .next = &next, .c = main};
                work(&w);
            }
            for (size_t i = 0; i < started; i++) {
                pthread_join(ws[i].thread, NULL);
                ctx_deinit(&ws[i].own);
            }
            free(ws);
        }
        if (atomic_load(&ex->failed)) {
            return EDDY_ERR_UNKNOWN;
        }
    }
    main->origin = sc->index;
    rc = sc->op->vt->finish(sc->op, main, 0);
    if (rc) {
        exec_fail(ex, &main->err);
    }
    return rc;
}

int exec_open(exec *ex, eddy_sql_plan *plan, eddy_sql_sink *const *sinks, uint32_t nthreads,
              bool streaming, eddy_sql_error *err, ctx *main)
{
    memset(err, 0, sizeof *err);
    memset(ex, 0, sizeof *ex);
    ex->plan = plan;
    ex->api = plan->api;
    ex->nthreads = nthreads ? nthreads : 1;
    ex->streaming = streaming;
    ex->err = err;
    atomic_init(&ex->failed, false);
    atomic_init(&ex->fail_at, UINT64_MAX);
    pthread_mutex_init(&ex->lock, NULL);
    eddy_arena_init(&ex->arena, 0, 0);
    builder bd = {.ex = ex};
    bd.steps = calloc(plan->nsteps + 1, sizeof *bd.steps);
    bd.built = calloc(plan->nsteps + 1, sizeof *bd.built);
    ctx_init(main, ex, 0);
    int rc = 0;
    if (!bd.steps || !bd.built) {
        rc = ctx_nomem(main);
        exec_fail(ex, &main->err);
        goto out;
    }
    for (uint32_t i = 0; i < plan->nstmts; i++) {
        stream s;
        op *sink = NULL;
        bool par = false;
        if ((rc = build_stmt(&bd, &plan->stmts[i], &s)) == 0) {
            par = s.par;
            sink = op_sink_new(ex, sinks[i], &plan->stmts[i]);
            rc = chain(ex, &s, sink);
        }
        if (rc) {
            ctx_nomem(main);
            exec_fail(ex, &main->err);
            goto out;
        }
        op_sink_set_parallel(sink, par && sink->vt->par_in);
    }
    for (uint32_t i = 0; i < plan->nstmts; i++) {
        eddy_sql_sink *sk = sinks[i];
        const eddy_sql_stmt_plan *st = &plan->stmts[i];
        if (sk->start(sk, st->names, st->types, st->ncols) != 0) {
            rc = ctx_fail(main, EDDY_ERR_IO, "%s", sk->msg[0] ? sk->msg : "cannot write");
            exec_fail(ex, &main->err);
            goto out;
        }
    }
out:
    free(bd.steps);
    free(bd.built);
    return exec_result(ex, main, rc);
}

int exec_run_scan(exec *ex, scan *sc, ctx *main)
{
    return run_scan(ex, sc, main);
}

int exec_result(exec *ex, ctx *main, int rc)
{
    eddy_sql_error *err = ex->err;
    if (atomic_load(&ex->failed) && !rc) {
        rc = err->code ? err->code : EDDY_ERR_UNKNOWN;
    }
    if (rc && !err->code) {
        *err = main->err;
        if (!err->code) {
            err->code = rc;
            snprintf(err->msg, sizeof err->msg, "%s", eddy_err_str(rc));
        }
    }
    return rc ? (err->code ? err->code : rc) : 0;
}

void exec_close(exec *ex, ctx *main)
{
    for (uint32_t i = 0; i < ex->nops; i++) {
        op *o = ex->ops[i];
        free(o->outs);
        o->vt->free(o);
    }
    free(ex->ops);
    free(ex->part_ops);
    free(ex->scans);
    ctx_deinit(main);
    eddy_arena_deinit(&ex->arena);
    pthread_mutex_destroy(&ex->lock);
}

int eddy_sql_exec_run(eddy_sql_plan *plan, const eddy_sql_exec_opts *opts, eddy_sql_error *err)
{
    exec ex;
    ctx main;
    int rc = exec_open(&ex, plan, opts->sinks, opts->nthreads, false, err, &main);
    for (uint32_t i = 0; !rc && i < ex.nscans; i++) {
        rc = run_scan(&ex, &ex.scans[i], &main);
    }
    rc = exec_result(&ex, &main, rc);
    exec_close(&ex, &main);
    return rc;
}
