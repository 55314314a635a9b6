/* The streaming executor (sql/stream.h): the batch operator graph on one
 * thread, with the event-time policies applied at each hub input and the
 * watermark bookkeeping per (source, partition). */
#include "sql/stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "sql/exec_int.h"
#include "sql/value.h"

/* A point of a partition's history: from offset on, every row's time is
 * at least bound; the partition's largest time just before it. */
typedef struct mark {
    int64_t offset;
    int64_t bound;
    bool has_max;
    int64_t max_us;
} mark;

typedef struct part_st {
    uint32_t source;
    int32_t partition;
    bool assigned, done;
    bool has_max;
    int64_t max_us;
    int64_t last_wall_us; /* the last event's (or the assignment's) wall time */
    int64_t replay_from;  /* rows before this offset are skipped */
    uint32_t chunkno;
    mark *marks;
    uint32_t nmarks, capmarks;
} part_st;

struct eddy_sql_stream {
    exec ex;
    ctx main;
    eddy_sql_plan *plan;
    eddy_sql_stream_opts opts;
    eddy_sql_error err;
    bool opened;
    scan **scan_of; /* per plan source */
    part_st *parts;
    uint32_t nparts, capparts;
    int64_t span; /* of the plan; -1 unbounded */
    int64_t gran; /* spacing of the marks; 0: only the first */
    bool have_wm; /* the emitted watermark: later rows have time > wm */
    int64_t wm;
    bool replaying;
    int64_t cap; /* while replaying: the highest watermark allowed */
    eddy_sql_stream_stats stats;
    /* the chunk being pushed */
    part_st *cur;
    const int64_t *arrival, *offsets;
};

/* ---- the plan's span ------------------------------------------------------ */

static bool is_hub(const eddy_sql_input *in)
{
    return in->kind == EDDY_SQL_INPUT_SOURCE && in->opts.kind == EDDY_SQL_SRC_HUB;
}

static int64_t add_span(int64_t a, int64_t b)
{
    if (a < 0 || b < 0) {
        return -1;
    }
    return a > INT64_MAX - b ? -1 : a + b;
}

static bool streams_in(const eddy_sql_plan *p, const eddy_sql_input *in, uint32_t depth);

static bool stmt_streams(const eddy_sql_plan *p, const eddy_sql_stmt_plan *st, uint32_t depth)
{
    if (depth > 64) {
        return true;
    }
    for (uint32_t s = 0; s < st->nselects; s++) {
        for (uint32_t i = 0; i < st->selects[s].ninputs; i++) {
            if (streams_in(p, &st->selects[s].inputs[i], depth + 1)) {
                return true;
            }
        }
    }
    return false;
}

/* Whether an input's rows come from a hub (directly or through steps). */
static bool streams_in(const eddy_sql_plan *p, const eddy_sql_input *in, uint32_t depth)
{
    if (in->kind == EDDY_SQL_INPUT_STEP) {
        return stmt_streams(p, &p->steps[in->step], depth);
    }
    return is_hub(in);
}

static int64_t select_span(const eddy_sql_plan *p, const eddy_sql_select_plan *sel)
{
    int64_t span = 0;
    uint32_t nstreams = 0;
    for (uint32_t i = 0; i < sel->ninputs; i++) {
        nstreams += streams_in(p, &sel->inputs[i], 0);
    }
    if (nstreams > 1) {
        for (uint32_t k = 0; k + 1 < sel->ninputs; k++) {
            const eddy_sql_join_spec *js = &sel->joins[k];
            if (!streams_in(p, &sel->inputs[k + 1], 0)) {
                continue; /* reference data */
            }
            if (!js->bounded) {
                return -1;
            }
            int64_t w = js->hi_us > -js->lo_us ? js->hi_us : -js->lo_us;
            span = add_span(span, w < 0 ? 0 : w);
        }
    }
    if (sel->aggregate) {
        if (!sel->has_window) {
            return -1;
        }
        const eddy_sql_window *w = &sel->window;
        int64_t ws = w->kind == EDDY_SQL_WINDOW_SESSION ? w->max.us : w->size.us;
        span = add_span(span, ws);
    }
    if (sel->distinct) {
        return -1;
    }
    return span;
}

static int64_t stmt_span(const eddy_sql_plan *p, const eddy_sql_stmt_plan *st)
{
    int64_t span = 0;
    for (uint32_t s = 0; s < st->nselects; s++) {
        int64_t x = select_span(p, &st->selects[s]);
        if (x < 0) {
            return -1;
        }
        if (x > span) {
            span = x;
        }
        if (s > 0 && !st->union_all[s]) {
            return -1; /* UNION's DISTINCT */
        }
    }
    return span;
}

int64_t eddy_sql_stream_span(const eddy_sql_plan *plan)
{
    /* steps feed later statements: their spans add up along the way, which
     * the sum over everything bounds */
    int64_t span = 0;
    for (uint32_t i = 0; i < plan->nsteps; i++) {
        span = add_span(span, stmt_span(plan, &plan->steps[i]));
    }
    int64_t most = 0;
    for (uint32_t i = 0; i < plan->nstmts; i++) {
        int64_t x = stmt_span(plan, &plan->stmts[i]);
        if (x < 0) {
            return -1;
        }
        most = x > most ? x : most;
    }
    return add_span(span, most);
}

const char *eddy_sql_stream_unbounded_reason(const eddy_sql_plan *plan)
{
    for (uint32_t i = 0; i < plan->nstmts; i++) {
        const eddy_sql_stmt_plan *st = &plan->stmts[i];
        if (!stmt_streams(plan, st, 0)) {
            continue;
        }
        if (st->norder > 0) {
            return "ORDER BY needs the end of the input: over a hub it runs with --until-end "
                   "(order rows within windows with TopOne or by sorting the output)";
        }
        if (st->limit >= 0) {
            return "LIMIT/TOP over a hub needs the end of the input: run with --until-end";
        }
    }
    return NULL;
}

/* ---- partitions ----------------------------------------------------------- */

static part_st *find_part(eddy_sql_stream *st, uint32_t source, int32_t partition, bool make)
{
    for (uint32_t i = 0; i < st->nparts; i++) {
        if (st->parts[i].source == source && st->parts[i].partition == partition) {
            return &st->parts[i];
        }
    }
    if (!make) {
        return NULL;
    }
    if (st->nparts == st->capparts) {
        uint32_t nc = st->capparts ? st->capparts * 2 : 16;
        part_st *n = realloc(st->parts, sizeof *n * nc);
        if (!n) {
            return NULL;
        }
        st->parts = n;
        st->capparts = nc;
        st->cur = NULL;
    }
    part_st *p = &st->parts[st->nparts++];
    memset(p, 0, sizeof *p);
    p->source = source;
    p->partition = partition;
    p->replay_from = INT64_MIN;
    return p;
}

static int add_mark(part_st *p, int64_t offset, int64_t bound)
{
    if (p->nmarks == p->capmarks) {
        uint32_t nc = p->capmarks ? p->capmarks * 2 : 8;
        mark *n = realloc(p->marks, sizeof *n * nc);
        if (!n) {
            return EDDY_ERR_NOMEM;
        }
        p->marks = n;
        p->capmarks = nc;
    }
    p->marks[p->nmarks++] =
        (mark){.offset = offset, .bound = bound, .has_max = p->has_max, .max_us = p->max_us};
    return 0;
}

static int64_t floor_to(int64_t t, int64_t g)
{
    int64_t q = t / g;
    if (t % g != 0 && t < 0) {
        q--;
    }
    return q * g;
}

/* The last mark a replay may start from (rows before it are at or below
 * the watermark minus the span); marks before it are dropped. */
static const mark *replay_mark(eddy_sql_stream *st, part_st *p)
{
    if (p->nmarks == 0) {
        return NULL;
    }
    uint32_t k = 0;
    if (st->have_wm && st->span >= 0 && st->wm > INT64_MIN + st->span + 1) {
        int64_t limit = st->wm - st->span + 1;
        while (k + 1 < p->nmarks && p->marks[k + 1].bound <= limit) {
            k++;
        }
    }
    if (k > 0) {
        memmove(p->marks, p->marks + k, sizeof *p->marks * (p->nmarks - k));
        p->nmarks -= k;
    }
    return &p->marks[0];
}

/* ---- the input hook: event-time policies ------------------------------------ */

static int time_hook(void *arg, const eddy_sql_input *in, ctx *c, eddy_sql_chunk *chunk)
{
    eddy_sql_stream *st = arg;
    part_st *p = st->cur;
    if (!p || st->plan->sources[p->source] != in) {
        return 0; /* a reference input being loaded */
    }
    uint32_t n = chunk->nrows, tc = chunk->ncols - 1;
    const eddy_sql_vec *tv = &chunk->cols[tc];
    eddy_sql_vec out;
    if (eddy_sql_vec_alloc(&out, &c->scratch, EDDY_SQL_V_TIME, n ? n : 1) != 0) {
        return ctx_nomem(c);
    }
    out.n = n;
    uint32_t *sel = eddy_arena_alloc(&c->scratch, sizeof *sel * (n ? n : 1));
    if (!sel) {
        return ctx_nomem(c);
    }
    uint32_t nsel = 0;
    const int64_t L = st->opts.late_us, O = st->opts.out_of_order_us;
    bool count = !st->replaying;
    for (uint32_t r = 0; r < n; r++) {
        int64_t off = st->offsets[r];
        if (off < p->replay_from) {
            continue;
        }
        int64_t a = st->arrival[r];
        int64_t t = a;
        if (tv->type == EDDY_SQL_V_TIME && eddy_sql_vec_valid(tv, r)) {
            t = tv->i[tv->constant ? 0 : r];
        }
        bool drop = false, adj = false;
        if (a > INT64_MIN + L && t < a - L) {
            st->stats.late += count;
            if (st->opts.drop) {
                drop = true;
            } else {
                t = a - L;
                adj = true;
            }
        }
        if (!drop && p->has_max && t < p->max_us - O) {
            st->stats.out_of_order += count;
            if (st->opts.drop) {
                drop = true;
            } else {
                t = p->max_us - O;
                adj = true;
            }
        }
        if (!drop && st->have_wm && t <= st->wm) {
            /* a partition back from idle, behind what was emitted */
            st->stats.late += count;
            if (st->opts.drop) {
                drop = true;
            } else {
                t = st->wm + 1;
                adj = true;
            }
        }
        if (drop) {
            st->stats.dropped += count;
            continue;
        }
        st->stats.adjusted += count && adj;
        if (p->nmarks == 0 && add_mark(p, off, INT64_MIN) != 0) {
            return ctx_nomem(c);
        }
        if (!p->has_max || t > p->max_us) {
            if (st->gran > 0) {
                int64_t b = floor_to(t, st->gran);
                if ((!p->has_max || b > floor_to(p->max_us, st->gran)) && add_mark(p, off, b)) {
                    return ctx_nomem(c);
                }
            }
            p->max_us = t;
            p->has_max = true;
        }
        out.i[r] = t;
        sel[nsel++] = r;
    }
    st->stats.rows += count ? nsel : 0;
    chunk->cols[tc] = out;
    if (nsel < n) {
        eddy_sql_chunk g;
        if (eddy_sql_chunk_gather(chunk, sel, nsel, &c->scratch, &g) != 0) {
            return ctx_nomem(c);
        }
        *chunk = g;
    }
    return 0;
}

/* ---- open, push, advance ------------------------------------------------------ */

static int fail_with(eddy_sql_stream *st, eddy_sql_error *err, int rc)
{
    rc = exec_result(&st->ex, &st->main, rc);
    *err = st->err;
    if (!err->code) {
        err->code = rc;
    }
    /* the next call starts clean */
    memset(&st->err, 0, sizeof st->err);
    atomic_store(&st->ex.failed, false);
    return rc;
}

int eddy_sql_stream_open(eddy_sql_plan *plan, const eddy_sql_stream_opts *opts,
                         eddy_sql_stream **out, eddy_sql_error *err)
{
    *out = NULL;
    memset(err, 0, sizeof *err);
    eddy_sql_stream *st = calloc(1, sizeof *st);
    if (!st) {
        err->code = EDDY_ERR_NOMEM;
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    st->plan = plan;
    st->opts = *opts;
    st->span = eddy_sql_stream_span(plan);
    st->gran = st->span > 0 ? st->span / 8 : st->span == 0 ? 1000 : 0;
    if (st->gran < 0 || (st->span > 0 && st->gran < 1000)) {
        st->gran = 1000;
    }
    int rc = exec_open(&st->ex, plan, opts->sinks, 1, true, &st->err, &st->main);
    st->opened = true;
    st->ex.time_hook = time_hook;
    st->ex.hook_arg = st;
    st->scan_of = calloc(plan->nsources ? plan->nsources : 1, sizeof *st->scan_of);
    if (!rc && !st->scan_of) {
        rc = ctx_nomem(&st->main);
    }
    for (uint32_t i = 0; !rc && i < st->ex.nscans; i++) {
        scan *sc = &st->ex.scans[i];
        for (uint32_t s = 0; s < plan->nsources; s++) {
            if (plan->sources[s] == sc->in) {
                st->scan_of[s] = sc;
            }
        }
        /* reference data and SELECT without FROM: read now, to the end */
        if (!is_hub(sc->in)) {
            rc = exec_run_scan(&st->ex, sc, &st->main);
        }
    }
    if (rc) {
        rc = fail_with(st, err, rc);
        eddy_sql_stream_close(st);
        return rc;
    }
    *out = st;
    return 0;
}

int eddy_sql_stream_assign(eddy_sql_stream *st, uint32_t source, int32_t partition, bool on,
                           int64_t now_us)
{
    part_st *p = find_part(st, source, partition, on);
    if (!p) {
        return on ? EDDY_ERR_NOMEM : 0;
    }
    p->assigned = on;
    if (on) {
        p->done = false;
        p->last_wall_us = now_us;
    }
    return 0;
}

void eddy_sql_stream_done(eddy_sql_stream *st, uint32_t source, int32_t partition)
{
    part_st *p = find_part(st, source, partition, false);
    if (p) {
        p->done = true;
    }
}

int eddy_sql_stream_push(eddy_sql_stream *st, uint32_t source, int32_t partition,
                         const eddy_sql_chunk *chunk, const int64_t *arrival_us,
                         const int64_t *offsets, int64_t now_us, eddy_sql_error *err)
{
    if (source >= st->plan->nsources || !st->scan_of[source] || chunk->nrows == 0) {
        return 0;
    }
    part_st *p = find_part(st, source, partition, true);
    if (!p) {
        return fail_with(st, err, ctx_nomem(&st->main));
    }
    if (!p->assigned) {
        p->assigned = true;
    }
    p->last_wall_us = now_us;
    scan *sc = st->scan_of[source];
    st->cur = p;
    st->arrival = arrival_us;
    st->offsets = offsets;
    ctx *c = &st->main;
    c->origin = sc->index;
    c->part = (uint32_t)partition;
    c->chunkno = p->chunkno++ & 0xFFFFF;
    int rc = op_emit(sc->op, c, chunk);
    eddy_arena_reset(&c->scratch);
    st->cur = NULL;
    return rc ? fail_with(st, err, rc) : 0;
}

static int advance(eddy_sql_stream *st, int64_t wm, eddy_sql_error *err)
{
    if (st->replaying && wm > st->cap) {
        wm = st->cap;
    }
    if (st->have_wm && wm <= st->wm) {
        return 0;
    }
    st->have_wm = true;
    st->wm = wm;
    ctx *c = &st->main;
    for (uint32_t i = 0; i < st->plan->nsources; i++) {
        scan *sc = st->scan_of[i];
        if (sc && is_hub(sc->in)) {
            c->origin = sc->index;
            int rc = sc->op->vt->advance(sc->op, c, wm);
            eddy_arena_reset(&c->scratch);
            if (rc) {
                return fail_with(st, err, rc);
            }
        }
    }
    /* marks no replay can need any more */
    for (uint32_t i = 0; i < st->nparts; i++) {
        if (st->parts[i].nmarks > 64) {
            replay_mark(st, &st->parts[i]);
        }
    }
    return 0;
}

int eddy_sql_stream_tick(eddy_sql_stream *st, int64_t now_us, eddy_sql_error *err)
{
    bool any = false;
    int64_t w = INT64_MAX;
    for (uint32_t i = 0; i < st->nparts; i++) {
        const part_st *p = &st->parts[i];
        if (!p->assigned || p->done) {
            continue;
        }
        int64_t pw = p->has_max ? p->max_us - st->opts.out_of_order_us : INT64_MIN;
        if (st->opts.idle_us > 0 && now_us - p->last_wall_us > st->opts.idle_us) {
            int64_t iw = now_us - st->opts.late_us;
            pw = iw > pw ? iw : pw;
        }
        any = true;
        w = pw < w ? pw : w;
    }
    if (!any || w == INT64_MIN) {
        return 0;
    }
    return advance(st, w - 1, err);
}

int eddy_sql_stream_advance_to(eddy_sql_stream *st, int64_t wm_us, eddy_sql_error *err)
{
    return advance(st, wm_us, err);
}

int eddy_sql_stream_finish(eddy_sql_stream *st, eddy_sql_error *err)
{
    ctx *c = &st->main;
    for (uint32_t i = 0; i < st->plan->nsources; i++) {
        scan *sc = st->scan_of[i];
        if (sc && is_hub(sc->in)) {
            c->origin = sc->index;
            int rc = sc->op->vt->finish(sc->op, c, 0);
            eddy_arena_reset(&c->scratch);
            if (rc) {
                return fail_with(st, err, rc);
            }
        }
    }
    return 0;
}

void eddy_sql_stream_stats_get(const eddy_sql_stream *st, eddy_sql_stream_stats *out)
{
    *out = st->stats;
    out->have_watermark = st->have_wm;
    out->watermark_us = st->wm;
}

void eddy_sql_stream_stats_set(eddy_sql_stream *st, const eddy_sql_stream_stats *in)
{
    st->stats = *in;
}

bool eddy_sql_stream_part_state(eddy_sql_stream *st, uint32_t source, int32_t partition,
                                eddy_sql_part_state *out)
{
    part_st *p = find_part(st, source, partition, false);
    if (!p) {
        return false;
    }
    const mark *m = replay_mark(st, p);
    if (!m) {
        out->replay_offset = -1;
        out->has_max = p->has_max;
        out->max_us = p->max_us;
        return true;
    }
    out->replay_offset = m->offset;
    out->has_max = m->has_max;
    out->max_us = m->max_us;
    return true;
}

int eddy_sql_stream_restore(eddy_sql_stream *st, uint32_t source, int32_t partition,
                            const eddy_sql_part_state *ps)
{
    part_st *p = find_part(st, source, partition, true);
    if (!p) {
        return EDDY_ERR_NOMEM;
    }
    p->has_max = ps->has_max;
    p->max_us = ps->max_us;
    p->replay_from = ps->replay_offset;
    p->nmarks = 0;
    if (ps->replay_offset >= 0) {
        /* the same replay point until the partition moves past it */
        if (add_mark(p, ps->replay_offset, INT64_MIN) != 0) {
            return EDDY_ERR_NOMEM;
        }
    }
    return 0;
}

void eddy_sql_stream_replaying(eddy_sql_stream *st, bool on, int64_t cap_us)
{
    st->replaying = on;
    st->cap = cap_us;
}

void eddy_sql_stream_close(eddy_sql_stream *st)
{
    if (!st) {
        return;
    }
    if (st->opened) {
        exec_close(&st->ex, &st->main);
    }
    for (uint32_t i = 0; i < st->nparts; i++) {
        free(st->parts[i].marks);
    }
    free(st->parts);
    free(st->scan_of);
    free(st);
}
