/* Unit tests of the aggregate in streaming mode (exec.streaming): GROUP BY
 * with Tumbling, Hopping, Sliding and Session windows fed chunk by chunk
 * with advance(wm) after chunks, as the stream driver does. The rows that
 * advance and finish emit must be the batch result over the same rows (as
 * a multiset), each window emitted once, by the first advance whose
 * watermark reaches its end, the rows of one end in key order; rows for
 * windows already emitted are dropped and counted; the state of emitted
 * windows is freed. The plan comes from SQL text; the aggregate is the
 * real operator, its rows caught by a small capture operator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "sql/bind.h"
#include "sql/exec.h"
#include "sql/exec_int.h"
#include "sql/parser.h"
#include "sql/value.h"
#include "test.h"

/* ---- a source for binding only: columns k, s, x, v, ts ----------------- */

enum { C_K, C_S, C_X, C_V, C_TS, NCOLS };
static const char *const col_names[NCOLS] = {"k", "s", "x", "v", "ts"};

/* which column each projected position is (the binder's projection) */
static uint32_t proj[16];
static uint32_t nproj;

struct eddy_sql_src {
    int unused;
};

static int t_open(const eddy_sql_src_opts *o, eddy_sql_src **out, char *err, size_t errlen)
{
    (void)o;
    (void)err;
    (void)errlen;
    *out = calloc(1, sizeof **out);
    return *out ? 0 : EDDY_ERR_NOMEM;
}

static size_t t_columns(const eddy_sql_src *s, const char *const **names)
{
    (void)s;
    *names = col_names;
    return NCOLS;
}

static int t_project(eddy_sql_src *s, const eddy_sql_src_col *cols, size_t ncols, char *err,
                     size_t errlen)
{
    (void)s;
    (void)err;
    (void)errlen;
    nproj = (uint32_t)ncols;
    for (size_t i = 0; i < ncols && i < 16; i++) {
        for (uint32_t j = 0; j < NCOLS; j++) {
            if (strlen(col_names[j]) == cols[i].lens[0] &&
                strncmp(col_names[j], cols[i].parts[0], cols[i].lens[0]) == 0) {
                proj[i] = j;
            }
        }
    }
    return 0;
}

static size_t t_split(eddy_sql_src *s, size_t nthreads)
{
    (void)s;
    (void)nthreads;
    return 0;
}

static int t_reader_open(eddy_sql_src *s, size_t part, eddy_sql_src_reader **out)
{
    (void)s;
    (void)part;
    (void)out;
    return EDDY_ERR_INVALID_ARG;
}

static int t_read(eddy_sql_src_reader *r, eddy_sql_chunk *c, char *err, size_t errlen)
{
    (void)r;
    (void)c;
    (void)err;
    (void)errlen;
    return EDDY_ERR_INVALID_ARG;
}

static void t_reader_close(eddy_sql_src_reader *r)
{
    (void)r;
}

static void t_close(eddy_sql_src *s)
{
    free(s);
}

static const eddy_sql_src_api t_api = {t_open,        t_columns, t_project,      t_split,
                                       t_reader_open, t_read,    t_reader_close, t_close};

/* ---- the rows ----------------------------------------------------------- */

typedef struct trow {
    int64_t k;
    char s[8];
    double x;
    int64_t v;
    int64_t t; /* event time, us */
    bool late; /* for a window already emitted: only the stream gets it */
} trow;

/* ---- capture: the aggregate's output rows ------------------------------- */

typedef struct outrow {
    char *line;      /* the row as JSON values */
    int64_t end;     /* window end */
    uint8_t key[64]; /* encoded keys */
    uint32_t klen;
    uint32_t phase; /* which advance (or finish) emitted it */
} outrow;

typedef struct capture {
    op base;
    uint32_t nkeys;
    uint32_t phase;
    outrow *rows;
    size_t n, cap;
} capture;

static int capture_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    (void)c;
    (void)port;
    capture *cp = (capture *)o;
    for (uint32_t r = 0; r < in->nrows; r++) {
        if (cp->n == cp->cap) {
            cp->cap = cp->cap ? cp->cap * 2 : 256;
            cp->rows = realloc(cp->rows, sizeof *cp->rows * cp->cap);
        }
        outrow *orow = &cp->rows[cp->n++];
        memset(orow, 0, sizeof *orow);
        eddy_buf b, k;
        eddy_buf_init(&b, 0);
        eddy_buf_init(&k, 0);
        for (uint32_t j = 0; j < in->ncols; j++) {
            eddy_sql_value v = eddy_sql_vec_get(&in->cols[j], r);
            eddy_sql_value_json(&b, &v);
            eddy_buf_put_u8(&b, j + 1 < in->ncols ? ' ' : 0);
            if (j < cp->nkeys) {
                eddy_sql_key_put(&k, &v);
            }
            if (j == cp->nkeys) {
                orow->end = v.i;
            }
        }
        size_t len;
        orow->line = (char *)eddy_buf_take(&b, &len);
        orow->klen = (uint32_t)(k.len < sizeof orow->key ? k.len : sizeof orow->key);
        memcpy(orow->key, k.data, orow->klen);
        eddy_buf_deinit(&k);
        orow->phase = cp->phase;
    }
    return 0;
}

static void capture_free(op *o)
{
    capture *cp = (capture *)o;
    for (size_t i = 0; i < cp->n; i++) {
        free(cp->rows[i].line);
    }
    free(cp->rows);
    free(o);
}

static const op_vt capture_vt = {.name = "capture",
                                 .push = capture_push,
                                 .advance = op_advance_pass,
                                 .finish = op_finish_pass,
                                 .free = capture_free};

/* ---- a harness: plan, exec, aggregate -> capture, context -------------- */

typedef struct harness {
    eddy_arena arena;
    eddy_sql_plan *plan;
    const eddy_sql_select_plan *sel;
    eddy_sql_error err;
    exec ex;
    op *agg;
    capture *cap;
    ctx c;
    uint32_t chunkno;
} harness;

static int harness_open(harness *h, const char *q, bool streaming)
{
    memset(h, 0, sizeof *h);
    eddy_arena_init(&h->arena, 0, 0);
    eddy_sql_query *ast;
    int rc = eddy_sql_parse(q, strlen(q), &h->arena, &ast, &h->err);
    eddy_sql_bind_opts bo = {.api = &t_api};
    if (rc == 0) {
        rc = eddy_sql_bind(ast, q, strlen(q), &bo, &h->plan, &h->err);
    }
    if (rc) {
        printf("  %s\n", h->err.msg);
        return rc;
    }
    h->sel = &h->plan->stmts[0].selects[0];
    h->ex.plan = h->plan;
    h->ex.nthreads = 1;
    h->ex.streaming = streaming;
    h->ex.err = &h->err;
    pthread_mutex_init(&h->ex.lock, NULL);
    h->agg = op_aggregate_new(&h->ex, h->sel);
    h->cap = (capture *)op_new(&h->ex, sizeof *h->cap, &capture_vt, 1);
    h->cap->nkeys = h->sel->nkeys;
    static op_out out[1];
    out[0] = (op_out){&h->cap->base, 0};
    h->agg->outs = out;
    h->agg->nouts = 1;
    h->c.ex = &h->ex;
    eddy_arena_init(&h->c.scratch, 0, 0);
    h->c.x.arena = &h->c.scratch;
    h->c.x.err = &h->c.err;
    return h->sel->width == h->sel->inputs[0].ncols + 1 ? 0 : -1;
}

static void harness_close(harness *h)
{
    for (uint32_t i = 0; i < h->ex.nops; i++) {
        if (h->ex.ops[i] == h->agg) {
            h->agg->outs = NULL;
        }
        h->ex.ops[i]->vt->free(h->ex.ops[i]);
    }
    free(h->ex.ops);
    free(h->ex.part_ops);
    eddy_arena_deinit(&h->c.scratch);
    pthread_mutex_destroy(&h->ex.lock);
    eddy_sql_plan_free(h->plan);
    eddy_arena_deinit(&h->arena);
}

/* Pushes rows[0..n) (late ones only when late) as one chunk. */
static int harness_push(harness *h, const trow *rows, size_t n, bool late)
{
    const eddy_sql_select_plan *sel = h->sel;
    eddy_arena *a = &h->c.scratch;
    uint32_t m = 0;
    for (size_t r = 0; r < n; r++) {
        m += late || !rows[r].late;
    }
    eddy_sql_vec *cols = eddy_arena_calloc(a, sel->width, sizeof *cols);
    for (uint32_t j = 0; j < sel->width; j++) {
        static const eddy_sql_vtype types[NCOLS + 1] = {EDDY_SQL_V_INT,    EDDY_SQL_V_STRING,
                                                        EDDY_SQL_V_DOUBLE, EDDY_SQL_V_INT,
                                                        EDDY_SQL_V_TIME,   EDDY_SQL_V_TIME};
        uint32_t which = j + 1 < sel->width ? proj[j] : NCOLS;
        eddy_sql_vec_alloc(&cols[j], a, types[which], m ? m : 1);
        cols[j].valid = NULL;
        uint32_t q = 0;
        for (size_t r = 0; r < n; r++) {
            const trow *t = &rows[r];
            if (!late && t->late) {
                continue;
            }
            switch (which) {
            case C_K:
                cols[j].i[q] = t->k;
                break;
            case C_S:
                cols[j].s[q].p = t->s;
                cols[j].s[q].len = (uint32_t)strlen(t->s);
                break;
            case C_X:
                cols[j].d[q] = t->x;
                break;
            case C_V:
                cols[j].i[q] = t->v;
                break;
            default:
                cols[j].i[q] = t->t;
                break;
            }
            q++;
        }
    }
    eddy_sql_chunk ch = {.nrows = m, .ncols = sel->width, .cols = cols, .arena = a};
    h->c.chunkno = h->chunkno++;
    int rc = m ? h->agg->vt->push(h->agg, &h->c, 0, &ch) : 0;
    eddy_arena_reset(a);
    return rc;
}

/* ---- the data: keys, jittered times, pauses, late rows ----------------- */

static uint64_t rnd_state;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rnd_state >> 33);
}

#define BASE_US 1764000000000000LL

/* n rows, 7 keys, one every 50 ms with up to 400 ms of jitter (so out of
 * time order), a 5 s pause every 1000 rows. */
static trow *make_rows(size_t n)
{
    trow *rows = calloc(n, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        trow *t = &rows[i];
        t->k = (int64_t)(rnd() % 7);
        snprintf(t->s, sizeof t->s, "%c%d", 'a' + (int)(rnd() % 3), (int)(t->k % 2));
        t->x = (double)(rnd() % 10000) / 8.0 - 300.0;
        t->v = (int64_t)(rnd() % 100) - 20;
        t->t = BASE_US + (int64_t)i * 50000 + (int64_t)(i / 1000) * 5000000 + rnd() % 400000;
    }
    return rows;
}

/* A stream run's schedule: chunk i is rows[cut[i]..cut[i+1]) and is
 * followed by advance(wm[i]) when adv[i]. wm[i] is below every later
 * row's time (less a random slack); a late row (time below the previous
 * watermark less lateby, so that every window it is in was emitted) is
 * put into some chunks. */
typedef struct sched {
    size_t *cut;
    int64_t *wm;
    bool *adv;
    size_t nchunks;
} sched;

static void make_sched(trow *rows, size_t n, int64_t lateby, sched *s)
{
    s->cut = calloc(n + 2, sizeof *s->cut);
    s->wm = calloc(n + 1, sizeof *s->wm);
    s->adv = calloc(n + 1, sizeof *s->adv);
    /* the minimum time of rows[i..n) */
    int64_t *suffix = calloc(n + 1, sizeof *suffix);
    suffix[n] = INT64_MAX;
    for (size_t i = n; i-- > 0;) {
        suffix[i] = rows[i].t < suffix[i + 1] ? rows[i].t : suffix[i + 1];
    }
    size_t at = 0, k = 0;
    int64_t last = INT64_MIN;
    while (at < n) {
        size_t len = 1 + rnd() % (k % 5 == 0 ? 700 : 60);
        if (at + len > n) {
            len = n - at;
        }
        s->cut[k] = at;
        at += len;
        s->adv[k] = rnd() % 4 != 0;
        int64_t wm = suffix[at] == INT64_MAX ? rows[n - 1].t : suffix[at] - 1;
        wm -= (int64_t)(rnd() % 3) * 100000;
        s->wm[k] = wm > last ? wm : last;
        if (s->adv[k]) {
            last = s->wm[k];
        }
        /* a late row in the next chunk: time well before the watermark */
        if (last != INT64_MIN && at < n && rnd() % 3 == 0) {
            rows[at].late = true;
            rows[at].t = last - lateby - (int64_t)(rnd() % 1000000);
        }
        k++;
    }
    s->cut[k] = n;
    s->nchunks = k;
    free(suffix);
}

static void free_sched(sched *s)
{
    free(s->cut);
    free(s->wm);
    free(s->adv);
}

/* ---- comparing ---------------------------------------------------------- */

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The output lines, sorted, as one text. */
static char *sorted_lines(const capture *cp)
{
    char **v = calloc(cp->n + 1, sizeof *v);
    size_t total = 1;
    for (size_t i = 0; i < cp->n; i++) {
        v[i] = cp->rows[i].line;
        total += strlen(v[i]) + 1;
    }
    qsort(v, cp->n, sizeof *v, str_cmp);
    char *out = malloc(total), *p = out;
    for (size_t i = 0; i < cp->n; i++) {
        size_t l = strlen(v[i]);
        memcpy(p, v[i], l);
        p[l] = '\n';
        p += l + 1;
    }
    *p = 0;
    free(v);
    return out;
}

static int key_cmp(const outrow *a, const outrow *b)
{
    int r = memcmp(a->key, b->key, a->klen < b->klen ? a->klen : b->klen);
    return r ? r : a->klen < b->klen ? -1 : a->klen > b->klen ? 1 : 0;
}

/* What one stream run observed. */
typedef struct result {
    size_t rows;
    uint64_t late, dropped;
    size_t max_groups, max_buffered;
    bool retired;   /* an advance that emitted made the groups fewer */
    bool timely;    /* every window came at the first advance whose wm reached its end */
    bool canonical; /* ends ascending, keys ascending within an end */
    char *sorted;   /* the rows, sorted */
    char *text;     /* the rows in emitted order */
} result;

static void free_result(result *r)
{
    free(r->sorted);
    free(r->text);
}

/* Runs q over rows: streaming with the schedule (late rows included), or
 * batch (one thread, no advance, late rows left out). */
static int run_rows(const char *q, const trow *rows, size_t n, const sched *s, bool streaming,
                    result *res)
{
    harness h;
    memset(res, 0, sizeof *res);
    if (harness_open(&h, q, streaming) != 0) {
        harness_close(&h);
        return -1;
    }
    int rc = 0;
    int64_t *wms = calloc(s->nchunks + 2, sizeof *wms); /* the watermark of each phase */
    uint32_t phase = 0;
    wms[0] = INT64_MIN;
    res->retired = false;
    for (size_t k = 0; k < s->nchunks && !rc; k++) {
        size_t lo = s->cut[k], hi = s->cut[k + 1];
        for (size_t i = lo; i < hi; i++) {
            res->late += rows[i].late;
        }
        rc = harness_push(&h, rows + lo, hi - lo, streaming);
        if (!rc && streaming && s->adv[k]) {
            size_t before = op_aggregate_groups(h.agg), emitted = h.cap->n;
            if (before > res->max_groups) {
                res->max_groups = before;
            }
            if (op_aggregate_buffered(h.agg) > res->max_buffered) {
                res->max_buffered = op_aggregate_buffered(h.agg);
            }
            h.cap->phase = ++phase;
            wms[phase] = s->wm[k];
            rc = h.agg->vt->advance(h.agg, &h.c, s->wm[k]);
            if (h.cap->n > emitted && op_aggregate_groups(h.agg) < before) {
                res->retired = true;
            }
        }
    }
    if (!rc) {
        h.cap->phase = ++phase;
        wms[phase] = INT64_MAX;
        rc = h.agg->vt->finish(h.agg, &h.c, 0);
    }
    if (rc) {
        printf("  run: %s\n", h.c.err.msg);
    }
    res->dropped = op_aggregate_dropped(h.agg);
    res->rows = h.cap->n;
    res->timely = res->canonical = true;
    for (size_t i = 0; i < h.cap->n; i++) {
        const outrow *o = &h.cap->rows[i];
        if (!(o->end <= wms[o->phase] && o->end > wms[o->phase - 1])) {
            if (res->timely) {
                printf("  window %ld emitted at wm %ld (before: %ld)\n", (long)o->end,
                       (long)wms[o->phase], (long)wms[o->phase - 1]);
            }
            res->timely = false;
        }
        if (i > 0) {
            const outrow *p = &h.cap->rows[i - 1];
            if (p->end > o->end || (p->end == o->end && key_cmp(p, o) >= 0)) {
                res->canonical = false;
            }
        }
    }
    res->sorted = sorted_lines(h.cap);
    eddy_buf t;
    eddy_buf_init(&t, 0);
    for (size_t i = 0; i < h.cap->n; i++) {
        eddy_buf_append(&t, h.cap->rows[i].line, strlen(h.cap->rows[i].line));
        eddy_buf_put_u8(&t, '\n');
    }
    eddy_buf_put_u8(&t, 0);
    size_t len;
    res->text = (char *)eddy_buf_take(&t, &len);
    free(wms);
    harness_close(&h);
    return rc;
}

/* The stream's rows equal the batch's; windows timely, once, in canonical
 * order; late rows dropped and counted; state retired. */
static void check_query(const char *q, size_t n, int64_t lateby, size_t *windows)
{
    rnd_state = 42;
    trow *rows = make_rows(n);
    sched s;
    make_sched(rows, n, lateby, &s);
    result st, ba;
    EXPECT_EQ_INT(run_rows(q, rows, n, &s, true, &st), 0);
    EXPECT_EQ_INT(run_rows(q, rows, n, &s, false, &ba), 0);
    EXPECT_TRUE(st.late > 10);
    EXPECT_EQ_UINT(st.dropped, st.late);
    EXPECT_EQ_UINT(ba.dropped, 0);
    EXPECT_EQ_UINT(st.rows, ba.rows);
    EXPECT_EQ_STR(st.sorted, ba.sorted);
    EXPECT_TRUE(st.timely);
    EXPECT_TRUE(st.canonical);
    EXPECT_TRUE(st.retired);
    /* the groups held stay far below all the windows' groups */
    EXPECT_TRUE(st.max_groups * 10 < st.rows);
    EXPECT_TRUE(st.max_buffered * 4 < n);
    *windows = st.rows;
    free_result(&st);
    free_result(&ba);
    free_sched(&s);
    free(rows);
}

/* ---- tests -------------------------------------------------------------- */

#define AGGS                                                                                       \
    "COUNT(*) AS n, SUM(v) AS sv, AVG(x) AS ax, MIN(x) AS lo, MAX(s) AS hi, "                      \
    "COUNT(DISTINCT v % 5) AS d, SUM(x) AS sx, Collect(v) AS c, "                                  \
    "TopOne() OVER (ORDER BY x DESC) AS best "

TEST(stream_tumbling_equals_batch)
{
    size_t w;
    check_query("SELECT k, s, " AGGS "FROM 'rows' TIMESTAMP BY ts "
                "GROUP BY k, s, TumblingWindow(second, 5)",
                30000, 5000000, &w);
    EXPECT_TRUE(w > 1000);
}

TEST(stream_hopping_equals_batch)
{
    size_t w;
    check_query("SELECT s, " AGGS "FROM 'rows' TIMESTAMP BY ts "
                "GROUP BY s, HoppingWindow(second, 10, 2)",
                30000, 10000000, &w);
    EXPECT_TRUE(w > 1000);
}

TEST(stream_sliding_equals_batch)
{
    size_t w;
    check_query("SELECT k, " AGGS "FROM 'rows' TIMESTAMP BY ts "
                "GROUP BY k, SlidingWindow(second, 2)",
                20000, 1, &w);
    EXPECT_TRUE(w > 20000);
}

TEST(stream_session_equals_batch)
{
    size_t w;
    check_query("SELECT k, s, " AGGS "FROM 'rows' TIMESTAMP BY ts "
                "GROUP BY k, s, SessionWindow(second, 1, 10)",
                20000, 1, &w);
    EXPECT_TRUE(w > 500);
}

/* The stream's output does not depend on the order rows arrive in within
 * the watermark's bound: every chunk reversed gives the same text. */
TEST(stream_output_independent_of_arrival_order)
{
    const char *qs[] = {
        "SELECT k, s, COUNT(*) AS n, SUM(v) AS sv, MIN(x) AS lo, MAX(x) AS hi, "
        "COUNT(DISTINCT v) AS d FROM 'rows' TIMESTAMP BY ts "
        "GROUP BY k, s, HoppingWindow(second, 6, 3)",
        "SELECT s, COUNT(*) AS n, SUM(v) AS sv, MAX(x) AS hi FROM 'rows' TIMESTAMP BY ts "
        "GROUP BY s, SlidingWindow(second, 1)",
        "SELECT k, COUNT(*) AS n, MIN(v) AS lo FROM 'rows' TIMESTAMP BY ts "
        "GROUP BY k, SessionWindow(second, 1, 5)",
    };
    for (size_t qi = 0; qi < sizeof qs / sizeof qs[0]; qi++) {
        rnd_state = 7;
        size_t n = 8000;
        trow *rows = make_rows(n);
        sched s;
        make_sched(rows, n, 10000000, &s);
        result a, b;
        EXPECT_EQ_INT(run_rows(qs[qi], rows, n, &s, true, &a), 0);
        for (size_t k = 0; k < s.nchunks; k++) {
            for (size_t i = s.cut[k], j = s.cut[k + 1]; i + 1 < j; i++, j--) {
                trow t = rows[i];
                rows[i] = rows[j - 1];
                rows[j - 1] = t;
            }
        }
        EXPECT_EQ_INT(run_rows(qs[qi], rows, n, &s, true, &b), 0);
        EXPECT_TRUE(a.rows > 100);
        EXPECT_EQ_STR(a.text, b.text);
        free_result(&a);
        free_result(&b);
        free_sched(&s);
        free(rows);
    }
}

/* advance by hand: a window comes exactly when the watermark reaches its
 * end, the rows of one end by key; groups and rows held go down. */
TEST(stream_advance_by_hand)
{
    harness h;
    EXPECT_EQ_INT(harness_open(&h,
                               "SELECT s, COUNT(*) AS n FROM 'rows' TIMESTAMP BY ts "
                               "GROUP BY s, TumblingWindow(second, 10)",
                               true),
                  0);
    trow rows[] = {
        {.s = "b", .t = BASE_US + 1000000}, {.s = "a", .t = BASE_US + 12000000},
        {.s = "c", .t = BASE_US + 5000000}, {.s = "a", .t = BASE_US + 2000000},
        {.s = "b", .t = BASE_US + 9000000},
    };
    EXPECT_EQ_INT(harness_push(&h, rows, 5, true), 0);
    EXPECT_EQ_UINT(op_aggregate_groups(h.agg), 4);
    /* one microsecond short of the first window's end: nothing */
    EXPECT_EQ_INT(h.agg->vt->advance(h.agg, &h.c, BASE_US + 9999999), 0);
    EXPECT_EQ_UINT(h.cap->n, 0);
    EXPECT_EQ_INT(h.agg->vt->advance(h.agg, &h.c, BASE_US + 10000000), 0);
    EXPECT_EQ_UINT(h.cap->n, 3);
    EXPECT_EQ_STR(h.cap->rows[0].line, "\"a\" \"2025-11-24T16:00:10.0000000Z\" 1");
    EXPECT_EQ_STR(h.cap->rows[1].line, "\"b\" \"2025-11-24T16:00:10.0000000Z\" 2");
    EXPECT_EQ_STR(h.cap->rows[2].line, "\"c\" \"2025-11-24T16:00:10.0000000Z\" 1");
    EXPECT_EQ_UINT(op_aggregate_groups(h.agg), 1);
    /* again: nothing twice; a late row is dropped and counted */
    trow late = {.s = "a", .t = BASE_US + 3000000};
    EXPECT_EQ_INT(harness_push(&h, &late, 1, true), 0);
    EXPECT_EQ_INT(h.agg->vt->advance(h.agg, &h.c, BASE_US + 11000000), 0);
    EXPECT_EQ_UINT(h.cap->n, 3);
    EXPECT_EQ_UINT(op_aggregate_dropped(h.agg), 1);
    EXPECT_EQ_INT(h.agg->vt->finish(h.agg, &h.c, 0), 0);
    EXPECT_EQ_UINT(h.cap->n, 4);
    EXPECT_EQ_STR(h.cap->rows[3].line, "\"a\" \"2025-11-24T16:00:20.0000000Z\" 1");
    EXPECT_EQ_UINT(op_aggregate_groups(h.agg), 0);
    harness_close(&h);

    /* a session closes when the watermark passes last + timeout */
    EXPECT_EQ_INT(harness_open(&h,
                               "SELECT s, COUNT(*) AS n FROM 'rows' TIMESTAMP BY ts "
                               "GROUP BY s, SessionWindow(second, 2, 60)",
                               true),
                  0);
    trow srows[] = {
        {.s = "a", .t = BASE_US + 1000000},
        {.s = "a", .t = BASE_US + 2000000},
        {.s = "b", .t = BASE_US + 1500000},
    };
    EXPECT_EQ_INT(harness_push(&h, srows, 3, true), 0);
    EXPECT_EQ_UINT(op_aggregate_buffered(h.agg), 3);
    EXPECT_EQ_INT(h.agg->vt->advance(h.agg, &h.c, BASE_US + 3000000), 0);
    EXPECT_EQ_UINT(h.cap->n, 0);
    /* a row extends a's session to 5 s */
    trow more = {.s = "a", .t = BASE_US + 3000001};
    EXPECT_EQ_INT(harness_push(&h, &more, 1, true), 0);
    EXPECT_EQ_INT(h.agg->vt->advance(h.agg, &h.c, BASE_US + 3500000), 0);
    EXPECT_EQ_UINT(h.cap->n, 1);
    EXPECT_EQ_STR(h.cap->rows[0].line, "\"b\" \"2025-11-24T16:00:03.5000000Z\" 1");
    EXPECT_EQ_UINT(op_aggregate_buffered(h.agg), 3);
    EXPECT_EQ_UINT(op_aggregate_groups(h.agg), 1);
    EXPECT_EQ_INT(h.agg->vt->advance(h.agg, &h.c, BASE_US + 5000001), 0);
    EXPECT_EQ_UINT(h.cap->n, 2);
    EXPECT_EQ_STR(h.cap->rows[1].line, "\"a\" \"2025-11-24T16:00:05.0000010Z\" 3");
    EXPECT_EQ_UINT(op_aggregate_buffered(h.agg), 0);
    EXPECT_EQ_UINT(op_aggregate_groups(h.agg), 0);
    EXPECT_EQ_INT(h.agg->vt->finish(h.agg, &h.c, 0), 0);
    EXPECT_EQ_UINT(h.cap->n, 2);
    harness_close(&h);

    /* rows out of order join the session before them; a gap of exactly
     * the timeout does not cut */
    EXPECT_EQ_INT(harness_open(&h,
                               "SELECT s, COUNT(*) AS n FROM 'rows' TIMESTAMP BY ts "
                               "GROUP BY s, SessionWindow(second, 2, 60)",
                               true),
                  0);
    trow orows[] = {
        {.s = "a", .t = BASE_US + 10000000},
        {.s = "a", .t = BASE_US + 8500000},
        {.s = "a", .t = BASE_US + 12000000},
    };
    EXPECT_EQ_INT(harness_push(&h, orows, 1, true), 0);
    EXPECT_EQ_INT(h.agg->vt->advance(h.agg, &h.c, BASE_US + 8000000), 0);
    EXPECT_EQ_INT(harness_push(&h, orows + 1, 1, true), 0);
    EXPECT_EQ_INT(h.agg->vt->advance(h.agg, &h.c, BASE_US + 9000000), 0);
    EXPECT_EQ_INT(harness_push(&h, orows + 2, 1, true), 0);
    EXPECT_EQ_INT(h.agg->vt->advance(h.agg, &h.c, BASE_US + 13999999), 0);
    EXPECT_EQ_UINT(h.cap->n, 0);
    EXPECT_EQ_INT(h.agg->vt->advance(h.agg, &h.c, BASE_US + 14000000), 0);
    EXPECT_EQ_UINT(h.cap->n, 1);
    EXPECT_EQ_STR(h.cap->rows[0].line, "\"a\" \"2025-11-24T16:00:14.0000000Z\" 3");
    EXPECT_EQ_INT(h.agg->vt->finish(h.agg, &h.c, 0), 0);
    EXPECT_EQ_UINT(h.cap->n, 1);
    harness_close(&h);
}

int main(void)
{
    RUN(stream_tumbling_equals_batch);
    RUN(stream_hopping_equals_batch);
    RUN(stream_sliding_equals_batch);
    RUN(stream_session_equals_batch);
    RUN(stream_output_independent_of_arrival_order);
    RUN(stream_advance_by_hand);
    return test_summary();
}
