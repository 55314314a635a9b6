/* Unit tests of the streaming join (src/sql/op_join.c with
 * exec->streaming): the binder's time bound from DATEDIFF, and the join
 * operator fed by hand, both inputs interleaved in chunks of a few rows
 * with advance() calls whose watermark keeps its promise (every later row
 * is later). The reference is the same operator in batch mode over the
 * same rows: the multisets of output rows must be equal. Also: rows are
 * forgotten (and their memory freed) as the watermark moves, a reference
 * input that ends first is never joined against stored stream rows, and a
 * LEFT JOIN's unmatched row comes out when the bound expires, not before.
 *
 * The plans come from query text over a small in-memory source that only
 * names its columns (id, v, ts); the rows are pushed straight into the
 * join, in fresh arenas freed after each push (as a scratch arena is), so
 * a stored row that still pointed into its chunk would show up under
 * ASan. */
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

/* ---- a source that only has column names ------------------------------ */

static const char *const cols_names[] = {"id", "v", "ts"};

struct eddy_sql_src {
    int unused;
};

static int cols_open(const eddy_sql_src_opts *o, eddy_sql_src **out, char *err, size_t errlen)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : EDDY_ERR_NOMEM;
}

static size_t cols_columns(const eddy_sql_src *s, const char *const **names)
{
    *names = cols_names;
    return 3;
}

static int cols_project(eddy_sql_src *s, const eddy_sql_src_col *cols, size_t ncols, char *err,
                        size_t errlen)
{
    return 0;
}

static size_t cols_split(eddy_sql_src *s, size_t nthreads)
{
    return 0;
}

static int cols_reader_open(eddy_sql_src *s, size_t part, eddy_sql_src_reader **out)
{
    return EDDY_ERR_UNSUPPORTED;
}

static int cols_read(eddy_sql_src_reader *r, eddy_sql_chunk *c, char *err, size_t errlen)
{
    return EDDY_ERR_UNSUPPORTED;
}

static void cols_reader_close(eddy_sql_src_reader *r)
{
}

static void cols_close(eddy_sql_src *s)
{
    free(s);
}

static const eddy_sql_src_api cols_api = {cols_open,         cols_columns,     cols_project,
                                          cols_split,        cols_reader_open, cols_read,
                                          cols_reader_close, cols_close};

/* ---- the join under test ---------------------------------------------- */

/* Output rows as text lines; the last watermark passed on. */
typedef struct capture {
    op base;
    eddy_buf rows;
    int64_t wm;
    uint32_t nrows;
    bool count_only; /* keep no text */
} capture;

static int capture_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    capture *cp = (capture *)o;
    for (uint32_t r = 0; r < in->nrows; r++) {
        for (uint32_t j = 0; j < in->ncols && !cp->count_only; j++) {
            eddy_sql_value v = eddy_sql_vec_get(&in->cols[j], r);
            eddy_sql_value_json(&cp->rows, &v);
            eddy_buf_put_u8(&cp->rows, j + 1 < in->ncols ? ' ' : '\n');
        }
        cp->nrows++;
    }
    return 0;
}

static int capture_advance(op *o, ctx *c, int64_t wm)
{
    capture *cp = (capture *)o;
    if (wm <= cp->wm) {
        TEST_FAIL_AT("watermark %lld after %lld", (long long)wm, (long long)cp->wm);
    }
    cp->wm = wm;
    return 0;
}

static void capture_free(op *o)
{
    eddy_buf_deinit(&((capture *)o)->rows);
    free(o);
}

static const op_vt capture_vt = {.name = "capture",
                                 .push = capture_push,
                                 .advance = capture_advance,
                                 .finish = op_finish_pass,
                                 .free = capture_free};

typedef struct jt {
    eddy_arena arena;
    eddy_sql_plan *plan;
    eddy_sql_error err;
    const eddy_sql_select_plan *sel;
    const eddy_sql_join_spec *js;
    exec ex;
    ctx c;
    op *join, *filter;
    capture *cap;
    op_out jout, fout;
} jt;

/* Binds q (two inputs, the first one joined to the second) and builds
 * join -> [WHERE filter] -> capture. */
static bool jt_open(jt *t, const char *q, bool streaming)
{
    memset(t, 0, sizeof *t);
    eddy_arena_init(&t->arena, 0, 0);
    eddy_sql_query *ast;
    if (eddy_sql_parse(q, strlen(q), &t->arena, &ast, &t->err) != 0) {
        printf("  %s\n", t->err.msg);
        return false;
    }
    eddy_sql_bind_opts bo = {.api = &cols_api};
    if (eddy_sql_bind(ast, q, strlen(q), &bo, &t->plan, &t->err) != 0) {
        printf("  %s\n", t->err.msg);
        return false;
    }
    t->sel = &t->plan->stmts[0].selects[0];
    t->js = &t->sel->joins[0];
    t->ex.plan = t->plan;
    t->ex.nthreads = 1;
    t->ex.err = &t->err;
    t->ex.streaming = streaming;
    pthread_mutex_init(&t->ex.lock, NULL);
    ctx_init(&t->c, &t->ex, 0);
    t->join = op_join_new(&t->ex, t->js, t->sel->inputs[0].ncols + 1, t->sel->inputs[1].ncols + 1);
    t->cap = (capture *)op_new(&t->ex, sizeof *t->cap, &capture_vt, 1);
    eddy_buf_init(&t->cap->rows, 0);
    t->cap->wm = INT64_MIN;
    op *last = t->join;
    if (t->sel->where) {
        t->filter = op_filter_new(&t->ex, t->sel->where);
        t->jout = (op_out){t->filter, 0};
        t->join->outs = &t->jout;
        t->join->nouts = 1;
        last = t->filter;
    }
    t->fout = (op_out){&t->cap->base, 0};
    last->outs = &t->fout;
    last->nouts = 1;
    return true;
}

static void jt_close(jt *t)
{
    for (uint32_t i = 0; i < t->ex.nops; i++) {
        op *o = t->ex.ops[i];
        o->outs = NULL; /* ours, not the graph arena's */
        o->vt->free(o);
    }
    free(t->ex.ops);
    free(t->ex.part_ops);
    ctx_deinit(&t->c);
    pthread_mutex_destroy(&t->ex.lock);
    eddy_sql_plan_free(t->plan);
    eddy_arena_deinit(&t->arena);
}

typedef struct row {
    uint32_t side;
    int64_t id, v, t; /* t: microseconds; INT64_MIN: no event time */
} row;

/* Pushes rows (all of one side) as one chunk of that input's layout: its
 * columns by name, then its event time. */
static int jt_push(jt *t, uint32_t side, const row *rows, uint32_t n)
{
    const eddy_sql_input *in = &t->sel->inputs[side];
    eddy_arena a;
    eddy_arena_init(&a, 0, 0);
    eddy_sql_vec *cols = eddy_arena_calloc(&a, in->ncols + 1, sizeof *cols);
    for (uint32_t j = 0; j <= in->ncols; j++) {
        const char *name = j < in->ncols ? in->colnames[j] : "";
        bool ts = strcmp(name, "ts") == 0;
        eddy_sql_vtype ty = j == in->ncols ? EDDY_SQL_V_TIME
                            : ts           ? EDDY_SQL_V_STRING
                                           : EDDY_SQL_V_INT;
        eddy_sql_vec_alloc(&cols[j], &a, ty, n);
        for (uint32_t r = 0; r < n; r++) {
            if (j == in->ncols) {
                cols[j].i[r] = rows[r].t;
                cols[j].valid[r] = in->has_time && rows[r].t != INT64_MIN;
            } else if (ts) {
                char buf[40];
                eddy_sql_time_format(rows[r].t, buf);
                cols[j].s[r].len = (uint32_t)strlen(buf);
                cols[j].s[r].p = eddy_arena_memdup(&a, buf, cols[j].s[r].len);
            } else {
                cols[j].i[r] = strcmp(name, "id") == 0 ? rows[r].id : rows[r].v;
            }
        }
    }
    eddy_sql_chunk ch = {.nrows = n, .ncols = in->ncols + 1, .cols = cols, .arena = &a};
    int rc = t->join->vt->push(t->join, &t->c, side, &ch);
    /* the chunk's memory goes away, as a scratch arena's does */
    eddy_arena_deinit(&a);
    return rc;
}

static int jt_advance(jt *t, int64_t wm)
{
    /* both inputs pass the watermark on */
    int rc = t->join->vt->advance(t->join, &t->c, wm);
    return rc ? rc : t->join->vt->advance(t->join, &t->c, wm);
}

static int jt_finish(jt *t, uint32_t side)
{
    return t->join->vt->finish(t->join, &t->c, side);
}

static int line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of b, sorted, joined (owned). */
static char *sorted(const eddy_buf *b)
{
    char *copy = strndup(b->data ? (const char *)b->data : "", b->len);
    size_t n = 0, k = 0;
    for (size_t i = 0; i < b->len; i++) {
        n += copy[i] == '\n';
    }
    char **v = calloc(n + 1, sizeof *v);
    for (char *save, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        v[k++] = l;
    }
    qsort(v, k, sizeof *v, line_cmp);
    eddy_buf o;
    eddy_buf_init(&o, 0);
    for (size_t i = 0; i < k; i++) {
        eddy_buf_append(&o, v[i], strlen(v[i]));
        eddy_buf_put_u8(&o, '\n');
    }
    eddy_buf_put_u8(&o, 0);
    free(v);
    free(copy);
    size_t len;
    return (char *)eddy_buf_take(&o, &len);
}

/* In helpers that return a value: records a failure and goes on. */
#define CHECK_OK(e)                                                                                \
    do {                                                                                           \
        int rc_ = (e);                                                                             \
        if (rc_ != 0) {                                                                            \
            TEST_FAIL_AT("%s: %d", #e, rc_);                                                       \
        }                                                                                          \
    } while (0)

/* ---- data ---------------------------------------------------------------- */

#define BASE 1764000000000000LL /* 2025-11-24T16:00:00Z */
#define SEC  1000000LL

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33) % n;
}

/* n rows per side, ids 0..keys-1, events every ~300 ms per side, in
 * arrival order: sorted by time plus a delay of up to 2 s. */
static row *make_rows(uint32_t n, uint32_t keys, uint64_t seed)
{
    rng_state = seed;
    row *rows = calloc(2 * n, sizeof *rows);
    int64_t *arrive = calloc(2 * n, sizeof *arrive);
    for (uint32_t i = 0; i < 2 * n; i++) {
        rows[i].side = i % 2;
        rows[i].id = rnd(keys);
        rows[i].v = rnd(100);
        rows[i].t = BASE + (int64_t)(i / 2) * 300000 + rnd(600000);
        arrive[i] = rows[i].t + rnd(2000000);
    }
    /* insertion sort by arrival (small n) */
    for (uint32_t i = 1; i < 2 * n; i++) {
        row r = rows[i];
        int64_t a = arrive[i];
        uint32_t k = i;
        while (k > 0 && arrive[k - 1] > a) {
            rows[k] = rows[k - 1];
            arrive[k] = arrive[k - 1];
            k--;
        }
        rows[k] = r;
        arrive[k] = a;
    }
    free(arrive);
    return rows;
}

/* Runs q in batch over rows: every row, then finish. Returns the sorted
 * output (owned). */
static char *run_batch(const char *q, const row *rows, uint32_t n)
{
    jt t;
    if (!jt_open(&t, q, false)) {
        return strdup("bind failed");
    }
    for (uint32_t i = 0; i < n; i++) {
        CHECK_OK(jt_push(&t, rows[i].side, &rows[i], 1));
    }
    CHECK_OK(jt_finish(&t, 0));
    CHECK_OK(jt_finish(&t, 1));
    char *s = sorted(&t.cap->rows);
    jt_close(&t);
    return s;
}

/* Runs q streaming over rows in arrival order: runs of one side cut into
 * chunks of 1..6 rows, now and then advance() to just below the earliest
 * time still to come; finish at the end. *peak gets the most rows the
 * join kept. Returns the sorted output (owned). */
static char *run_stream(const char *q, const row *rows, uint32_t n, uint64_t *peak)
{
    jt t;
    if (!jt_open(&t, q, true)) {
        return strdup("bind failed");
    }
    int64_t *later = malloc(sizeof *later * (n + 1)); /* min time of rows[i..] */
    later[n] = INT64_MAX;
    for (uint32_t i = n; i-- > 0;) {
        later[i] = rows[i].t < later[i + 1] ? rows[i].t : later[i + 1];
    }
    *peak = 0;
    rng_state = 7;
    for (uint32_t i = 0; i < n;) {
        uint32_t k = 1, max = 1 + rnd(6);
        while (i + k < n && k < max && rows[i + k].side == rows[i].side) {
            k++;
        }
        CHECK_OK(jt_push(&t, rows[i].side, &rows[i], k));
        i += k;
        if (rnd(3) == 0 && i < n) {
            CHECK_OK(jt_advance(&t, later[i] - 1));
        }
        uint64_t kept = op_join_stored(t.join);
        *peak = kept > *peak ? kept : *peak;
    }
    CHECK_OK(jt_finish(&t, 0));
    CHECK_OK(jt_finish(&t, 1));
    if (op_join_stored(t.join) != 0) {
        TEST_FAIL_AT("rows kept after finish");
    }
    char *s = sorted(&t.cap->rows);
    jt_close(&t);
    free(later);
    return s;
}

/* ---- tests ----------------------------------------------------------------- */

TEST(binder_records_the_time_bound)
{
    jt t;
    EXPECT_TRUE(
        jt_open(&t,
                "SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts JOIN 'r' R TIMESTAMP BY ts "
                "ON L.id = R.id AND DATEDIFF(second, L, R) BETWEEN 0 AND 10",
                true));
    /* 0..10 second boundaries crossed: R - L in (-1 s, 11 s) */
    EXPECT_TRUE(t.js->bounded);
    EXPECT_EQ_INT(t.js->lo_us, -SEC + 1);
    EXPECT_EQ_INT(t.js->hi_us, 11 * SEC - 1);
    EXPECT_EQ_UINT(t.js->bound_input, 0);
    EXPECT_EQ_UINT(t.js->bound_lcol, t.sel->inputs[0].ncols);
    EXPECT_EQ_UINT(t.js->nkeys, 1);
    EXPECT_TRUE(t.js->residual != NULL); /* the DATEDIFF stays */
    jt_close(&t);
    /* reversed arguments, comparisons, microseconds: exact */
    EXPECT_TRUE(jt_open(&t,
                        "SELECT L.v FROM 'l' L TIMESTAMP BY ts JOIN 'r' R TIMESTAMP BY ts "
                        "ON 5 >= DATEDIFF(microsecond, R, L) AND DATEDIFF(microsecond, R, L) > -3",
                        true));
    EXPECT_TRUE(t.js->bounded);
    EXPECT_EQ_INT(t.js->lo_us, -5);
    EXPECT_EQ_INT(t.js->hi_us, 2);
    EXPECT_EQ_UINT(t.js->nkeys, 0);
    jt_close(&t);
    /* a cross join takes its bound from WHERE */
    EXPECT_TRUE(jt_open(&t,
                        "SELECT L.v FROM 'l' L TIMESTAMP BY ts CROSS JOIN 'r' R TIMESTAMP BY ts "
                        "WHERE DATEDIFF(minute, L, R) BETWEEN -1 AND 1 AND L.v < R.v",
                        true));
    EXPECT_TRUE(t.js->bounded);
    EXPECT_EQ_INT(t.js->lo_us, -120 * SEC + 1);
    EXPECT_EQ_INT(t.js->hi_us, 120 * SEC - 1);
    jt_close(&t);
    /* one side only, or none: not bounded */
    EXPECT_TRUE(jt_open(&t,
                        "SELECT L.v FROM 'l' L TIMESTAMP BY ts JOIN 'r' R TIMESTAMP BY ts "
                        "ON L.id = R.id AND DATEDIFF(second, L, R) >= 0",
                        true));
    EXPECT_TRUE(!t.js->bounded);
    jt_close(&t);
    EXPECT_TRUE(jt_open(&t, "SELECT L.v FROM 'l' L JOIN 'r' R ON L.id = R.id", true));
    EXPECT_TRUE(!t.js->bounded);
    jt_close(&t);
}

/* Queries and how many rows per side (enough that compaction runs: more
 * than COMPACT_MIN rows forgotten per side) over how many ids. */
static const struct {
    const char *q;
    uint32_t n, keys;
} stream_queries[] = {
    /* keys, DATEDIFF */
    {"SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts JOIN 'r' R TIMESTAMP BY ts "
     "ON L.id = R.id AND DATEDIFF(second, L, R) BETWEEN 0 AND 2",
     2500, 20},
    /* keys, DATEDIFF both ways, another condition */
    {"SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts JOIN 'r' R TIMESTAMP BY ts "
     "ON L.id = R.id AND DATEDIFF(millisecond, L, R) BETWEEN -1500 AND 1500 AND L.v < R.v",
     2500, 20},
    /* LEFT, keys */
    {"SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts LEFT JOIN 'r' R TIMESTAMP BY ts "
     "ON L.id = R.id AND DATEDIFF(second, L, R) BETWEEN 0 AND 2",
     2500, 20},
    /* LEFT, keys, another condition, reversed DATEDIFF */
    {"SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts LEFT JOIN 'r' R TIMESTAMP BY ts "
     "ON L.id = R.id AND DATEDIFF(second, R, L) BETWEEN -1 AND 1 AND L.v % 3 <> R.v % 3",
     2500, 5},
    /* no keys: a nested loop in the bound (batch tries every pair) */
    {"SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts JOIN 'r' R TIMESTAMP BY ts "
     "ON DATEDIFF(millisecond, L, R) BETWEEN 0 AND 700",
     1200, 5},
    {"SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts LEFT JOIN 'r' R TIMESTAMP BY ts "
     "ON DATEDIFF(millisecond, L, R) BETWEEN -300 AND 300 AND L.v > R.v",
     1200, 5},
    /* CROSS JOIN bounded by WHERE */
    {"SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts CROSS JOIN 'r' R TIMESTAMP BY ts "
     "WHERE DATEDIFF(second, L, R) BETWEEN 0 AND 1 AND L.id <> R.id",
     1200, 5},
};

TEST(stream_equals_batch)
{
    for (size_t q = 0; q < sizeof stream_queries / sizeof stream_queries[0]; q++) {
        uint32_t n = stream_queries[q].n;
        row *rows = make_rows(n, stream_queries[q].keys, 42 + q);
        char *b = run_batch(stream_queries[q].q, rows, 2 * n);
        uint64_t peak;
        char *s = run_stream(stream_queries[q].q, rows, 2 * n, &peak);
        size_t lines = 0;
        for (char *p = b; *p; p++) {
            lines += *p == '\n';
        }
        free(rows);
        if (strcmp(b, s) != 0) {
            printf("  query %zu: batch %zu bytes, stream %zu bytes\n", q, strlen(b), strlen(s));
        }
        /* something joined, and far from everything was kept at once */
        bool ok = lines > 50 && peak < n / 4 && strcmp(s, b) == 0;
        free(b);
        free(s);
        EXPECT_TRUE(ok);
    }
}

TEST(advance_forgets_rows_and_frees_them)
{
    jt t;
    EXPECT_TRUE(
        jt_open(&t,
                "SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts JOIN 'r' R TIMESTAMP BY ts "
                "ON L.id = R.id AND DATEDIFF(second, L, R) BETWEEN 0 AND 10",
                true));
    row l[3] = {{0, 1, 1, BASE}, {0, 2, 2, BASE + SEC}, {0, 1, 3, BASE + 20 * SEC}};
    row r[1] = {{1, 1, 9, BASE + 5 * SEC}};
    EXPECT_EQ_INT(jt_push(&t, 0, l, 3), 0);
    EXPECT_EQ_INT(jt_push(&t, 1, r, 1), 0);
    EXPECT_EQ_UINT(op_join_stored(t.join), 4);
    /* left rows live until time + 11 s - 1 us (R - L <= 11 s - 1 us), the
     * right row until its time + 1 s - 1 us (R - L >= -1 s + 1 us) */
    EXPECT_EQ_INT(jt_advance(&t, BASE + 6 * SEC - 2), 0);
    EXPECT_EQ_UINT(op_join_stored(t.join), 4);
    EXPECT_EQ_INT(jt_advance(&t, BASE + 6 * SEC - 1), 0);
    EXPECT_EQ_UINT(op_join_stored(t.join), 3);
    EXPECT_EQ_INT(jt_advance(&t, BASE + 11 * SEC - 1), 0);
    EXPECT_EQ_UINT(op_join_stored(t.join), 2);
    EXPECT_EQ_INT(jt_advance(&t, BASE + 12 * SEC - 1), 0);
    EXPECT_EQ_UINT(op_join_stored(t.join), 1);
    eddy_buf_put_u8(&t.cap->rows, 0);
    EXPECT_EQ_STR((const char *)t.cap->rows.data,
                  /* ts, id, v, time; the same on the right; the joined time */
                  "\"2025-11-24T16:00:00.0000000Z\" 1 1 \"2025-11-24T16:00:00.0000000Z\" "
                  "\"2025-11-24T16:00:05.0000000Z\" 1 9 \"2025-11-24T16:00:05.0000000Z\" "
                  "\"2025-11-24T16:00:05.0000000Z\"\n");
    EXPECT_TRUE(!op_join_unbounded(t.join));
    /* an INNER join passes the watermark on as it is */
    EXPECT_EQ_INT(t.cap->wm, BASE + 12 * SEC - 1);
    jt_close(&t);

    /* a long run: 200000 rows through a 10 s bound stay within a few
     * thousand held rows (compaction frees the forgotten ones) */
    EXPECT_TRUE(
        jt_open(&t,
                "SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts JOIN 'r' R TIMESTAMP BY ts "
                "ON L.id = R.id AND DATEDIFF(second, L, R) BETWEEN 0 AND 10",
                true));
    t.cap->count_only = true;
    uint64_t peak = 0;
    row batch[10];
    for (int64_t i = 0; i < 10000; i++) {
        for (uint32_t side = 0; side < 2; side++) {
            for (int64_t k = 0; k < 10; k++) {
                int64_t ev = i * 10 + k;
                batch[k] = (row){side, ev % 997, ev, BASE + ev * 100000};
            }
            EXPECT_EQ_INT(jt_push(&t, side, batch, 10), 0);
        }
        EXPECT_EQ_INT(jt_advance(&t, BASE + (i * 10 + 9) * 100000), 0);
        uint64_t h = op_join_held(t.join);
        peak = h > peak ? h : peak;
    }
    /* about 11 s of left rows and 1 s of right ones (10 a second each) */
    EXPECT_TRUE(op_join_stored(t.join) <= 130);
    EXPECT_TRUE(peak < 2600);
    /* each left row meets the right row of its id at the same time */
    EXPECT_EQ_UINT(t.cap->nrows, 100000);
    jt_close(&t);
}

TEST(reference_input_ends_first)
{
    uint32_t n = 400;
    row *rows = make_rows(n, 7, 9);
    /* the reference rows: ids 0..4 (5 and 6 have none), no event time */
    row ref[6] = {{1, 0, 10, INT64_MIN}, {1, 1, 11, INT64_MIN}, {1, 2, 12, INT64_MIN},
                  {1, 3, 13, INT64_MIN}, {1, 4, 14, INT64_MIN}, {1, 1, 15, INT64_MIN}};
    const char *qs[] = {
        "SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts JOIN 'r' R ON L.id = R.id",
        "SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts LEFT JOIN 'r' R ON L.id = R.id AND "
        "L.v < 80",
    };
    /* the stream's rows: the left ones of rows */
    row *left = calloc(n, sizeof *left);
    uint32_t nl = 0;
    for (uint32_t i = 0; i < 2 * n; i++) {
        if (rows[i].side == 0) {
            left[nl++] = rows[i];
        }
    }
    for (size_t q = 0; q < 2; q++) {
        jt b;
        EXPECT_TRUE(jt_open(&b, qs[q], false));
        EXPECT_EQ_INT(jt_push(&b, 1, ref, 6), 0);
        EXPECT_EQ_INT(jt_finish(&b, 1), 0);
        for (uint32_t i = 0; i < nl; i++) {
            EXPECT_EQ_INT(jt_push(&b, 0, &left[i], 1), 0);
        }
        EXPECT_EQ_INT(jt_finish(&b, 0), 0);
        char *want = sorted(&b.cap->rows);
        jt_close(&b);

        jt t;
        EXPECT_TRUE(jt_open(&t, qs[q], true));
        EXPECT_TRUE(!t.js->bounded);
        EXPECT_EQ_INT(jt_push(&t, 1, ref, 4), 0);
        EXPECT_EQ_INT(jt_push(&t, 1, ref + 4, 2), 0);
        EXPECT_EQ_INT(jt_finish(&t, 1), 0);
        EXPECT_EQ_UINT(op_join_stored(t.join), 6);
        for (uint32_t i = 0; i < nl; i += 3) {
            uint32_t k = nl - i < 3 ? nl - i : 3;
            EXPECT_EQ_INT(jt_push(&t, 0, &left[i], k), 0);
            /* stream rows are probed, never stored */
            EXPECT_EQ_UINT(op_join_stored(t.join), 6);
            EXPECT_EQ_INT(jt_advance(&t, left[i].t - 3 * SEC), 0);
        }
        EXPECT_TRUE(!op_join_unbounded(t.join));
        /* every row is out before the stream ends */
        uint32_t lines = 0;
        for (const char *p = want; *p; p++) {
            lines += *p == '\n';
        }
        EXPECT_EQ_UINT(t.cap->nrows, lines);
        EXPECT_EQ_INT(jt_finish(&t, 0), 0);
        char *got = sorted(&t.cap->rows);
        EXPECT_TRUE(strlen(want) > 100);
        EXPECT_EQ_STR(got, want);
        free(want);
        free(got);
        jt_close(&t);
    }
    free(left);
    free(rows);

    /* two open streams without a bound: it works, but says so */
    jt t;
    EXPECT_TRUE(
        jt_open(&t,
                "SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts JOIN 'r' R TIMESTAMP BY ts "
                "ON L.id = R.id",
                true));
    row a = {0, 1, 1, BASE}, c = {1, 1, 2, BASE + SEC};
    EXPECT_EQ_INT(jt_push(&t, 0, &a, 1), 0);
    EXPECT_TRUE(!op_join_unbounded(t.join));
    EXPECT_EQ_INT(jt_push(&t, 1, &c, 1), 0);
    EXPECT_TRUE(op_join_unbounded(t.join));
    EXPECT_EQ_INT(jt_advance(&t, BASE + 100 * SEC), 0);
    EXPECT_EQ_UINT(op_join_stored(t.join), 2);
    EXPECT_EQ_UINT(t.cap->nrows, 1);
    jt_close(&t);
}

TEST(left_join_unmatched_at_expiry)
{
    jt t;
    EXPECT_TRUE(
        jt_open(&t,
                "SELECT L.v, R.v AS w FROM 'l' L TIMESTAMP BY ts LEFT JOIN 'r' R TIMESTAMP BY "
                "ts ON L.id = R.id AND DATEDIFF(second, L, R) BETWEEN 0 AND 10",
                true));
    row l[2] = {{0, 1, 1, BASE}, {0, 2, 2, BASE + 2 * SEC}};
    row r = {1, 2, 7, BASE + 4 * SEC};
    EXPECT_EQ_INT(jt_push(&t, 0, l, 2), 0);
    EXPECT_EQ_INT(jt_push(&t, 1, &r, 1), 0);
    EXPECT_EQ_UINT(t.cap->nrows, 1); /* id 2 found its partner */
    /* a right row at 10.999999 s would still match the left row at 0 */
    EXPECT_EQ_INT(jt_advance(&t, BASE + 5 * SEC), 0);
    EXPECT_EQ_INT(jt_advance(&t, BASE + 11 * SEC - 2), 0);
    EXPECT_EQ_UINT(t.cap->nrows, 1);
    /* the watermark passed on stays below the pending left row */
    EXPECT_TRUE(t.cap->wm < BASE);
    EXPECT_EQ_INT(jt_advance(&t, BASE + 11 * SEC - 1), 0);
    EXPECT_EQ_UINT(t.cap->nrows, 2);
    eddy_buf_put_u8(&t.cap->rows, 0);
    EXPECT_TRUE(strstr((const char *)t.cap->rows.data,
                       "\n\"2025-11-24T16:00:00.0000000Z\" 1 1 \"2025-11-24T16:00:00.0000000Z\" "
                       "null null null null \"2025-11-24T16:00:00.0000000Z\"\n") != NULL);
    t.cap->rows.len--;
    /* the matched left row (id 2) still waits for more partners */
    EXPECT_EQ_UINT(op_join_stored(t.join), 1);
    EXPECT_TRUE(t.cap->wm >= BASE && t.cap->wm < BASE + 2 * SEC);
    EXPECT_EQ_INT(jt_advance(&t, BASE + 13 * SEC), 0);
    EXPECT_EQ_UINT(op_join_stored(t.join), 0);
    EXPECT_EQ_UINT(t.cap->nrows, 2); /* it had a partner: no null row */
    EXPECT_EQ_INT(t.cap->wm, BASE + 13 * SEC);
    /* a left row still pending at the end comes out at finish */
    row late = {0, 3, 4, BASE + 20 * SEC};
    EXPECT_EQ_INT(jt_push(&t, 0, &late, 1), 0);
    EXPECT_EQ_INT(jt_finish(&t, 0), 0);
    EXPECT_EQ_UINT(t.cap->nrows, 2);
    EXPECT_EQ_INT(jt_finish(&t, 1), 0);
    EXPECT_EQ_UINT(t.cap->nrows, 3);
    jt_close(&t);
}

int main(void)
{
    RUN(binder_records_the_time_bound);
    RUN(stream_equals_batch);
    RUN(advance_forgets_rows_and_frees_them);
    RUN(reference_input_ends_first);
    RUN(left_join_unmatched_at_expiry);
    return test_summary();
}
