/* Unit tests of the SQL executor's operators, driven by literal chunks: a
 * generated in-memory source ("gen:N:K", N rows, K groups) run through
 * whole plans with 1 and 4 threads (results, and row order where the
 * engine defines it, must not depend on threads), top-N beyond the
 * compaction threshold, Collect's input order across workers, and the
 * aggregate's advance() (windows closed by a watermark, late rows
 * dropped). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "sql/bind.h"
#include "sql/exec.h"
#include "sql/exec_int.h"
#include "sql/output.h"
#include "sql/parser.h"
#include "sql/value.h"
#include "test.h"

/* ---- a generated source: i, k = i % K, x = i * 0.5, s = "s<k>", ts ----- */

static const char *const gen_names[] = {"i", "k", "x", "s", "ts"};

struct eddy_sql_src {
    int64_t n, k;
    uint32_t cols[8]; /* projected: which generated column */
    uint32_t ncols;
    size_t nparts;
};

struct eddy_sql_src_reader {
    eddy_sql_src *s;
    int64_t next, end;
    eddy_arena arena;
};

static int gen_open(const eddy_sql_src_opts *o, eddy_sql_src **out, char *err, size_t errlen)
{
    eddy_sql_src *s = calloc(1, sizeof *s);
    if (!s || sscanf(o->pattern, "gen:%ld:%ld", (long *)&s->n, (long *)&s->k) != 2) {
        free(s);
        snprintf(err, errlen, "not a generator: %s", o->pattern);
        return EDDY_ERR_NOT_FOUND;
    }
    *out = s;
    return 0;
}

static size_t gen_columns(const eddy_sql_src *s, const char *const **names)
{
    *names = gen_names;
    return 5;
}

static int gen_project(eddy_sql_src *s, const eddy_sql_src_col *cols, size_t ncols, char *err,
                       size_t errlen)
{
    s->ncols = (uint32_t)ncols;
    for (size_t i = 0; i < ncols; i++) {
        for (uint32_t g = 0; g < 5; g++) {
            if (strncmp(gen_names[g], cols[i].parts[0], cols[i].lens[0]) == 0 &&
                strlen(gen_names[g]) == cols[i].lens[0]) {
                s->cols[i] = g;
            }
        }
    }
    return 0;
}

static size_t gen_split(eddy_sql_src *s, size_t nthreads)
{
    s->nparts = nthreads * 5;
    return s->nparts;
}

static int gen_reader_open(eddy_sql_src *s, size_t part, eddy_sql_src_reader **out)
{
    eddy_sql_src_reader *r = calloc(1, sizeof *r);
    r->s = s;
    r->next = s->n * (int64_t)part / (int64_t)s->nparts;
    r->end = s->n * (int64_t)(part + 1) / (int64_t)s->nparts;
    eddy_arena_init(&r->arena, 1 << 16, 0);
    *out = r;
    return 0;
}

static int gen_read(eddy_sql_src_reader *r, eddy_sql_chunk *c, char *err, size_t errlen)
{
    eddy_arena_reset(&r->arena);
    int64_t n = r->end - r->next < 1000 ? r->end - r->next : 1000;
    eddy_sql_src *s = r->s;
    c->nrows = (uint32_t)n;
    c->ncols = s->ncols;
    c->arena = &r->arena;
    c->cols = eddy_arena_calloc(&r->arena, s->ncols + 1, sizeof *c->cols);
    for (uint32_t j = 0; j < s->ncols; j++) {
        eddy_sql_vec *v = &c->cols[j];
        static const eddy_sql_vtype types[] = {EDDY_SQL_V_INT, EDDY_SQL_V_INT, EDDY_SQL_V_DOUBLE,
                                               EDDY_SQL_V_STRING, EDDY_SQL_V_STRING};
        eddy_sql_vec_alloc(v, &r->arena, types[s->cols[j]], (uint32_t)n);
        v->valid = NULL;
        for (int64_t q = 0; q < n; q++) {
            int64_t i = r->next + q;
            char buf[40];
            switch (s->cols[j]) {
            case 0:
                v->i[q] = i;
                break;
            case 1:
                v->i[q] = i % s->k;
                break;
            case 2:
                v->d[q] = (double)i * 0.5;
                break;
            case 3:
                snprintf(buf, sizeof buf, "s%ld", (long)(i % s->k));
                v->s[q].len = (uint32_t)strlen(buf);
                v->s[q].p = eddy_arena_memdup(&r->arena, buf, v->s[q].len);
                break;
            default:
                eddy_sql_time_format(1764000000000000LL + i * 1000000, buf);
                v->s[q].len = (uint32_t)strlen(buf);
                v->s[q].p = eddy_arena_memdup(&r->arena, buf, v->s[q].len);
                break;
            }
        }
    }
    r->next += n;
    return 0;
}

static void gen_reader_close(eddy_sql_src_reader *r)
{
    eddy_arena_deinit(&r->arena);
    free(r);
}

static void gen_close(eddy_sql_src *s)
{
    free(s);
}

static const eddy_sql_src_api gen_api = {gen_open,        gen_columns, gen_project,      gen_split,
                                         gen_reader_open, gen_read,    gen_reader_close, gen_close};

/* Runs q with threads; out gets the jsonl text. */
static int run(const char *q, uint32_t threads, eddy_buf *out)
{
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_query *ast;
    eddy_sql_error err;
    eddy_sql_plan *plan = NULL;
    int rc = eddy_sql_parse(q, strlen(q), &arena, &ast, &err);
    eddy_sql_bind_opts bo = {.api = &gen_api};
    if (rc == 0) {
        rc = eddy_sql_bind(ast, q, strlen(q), &bo, &plan, &err);
    }
    if (rc == 0) {
        eddy_sql_sink *sink = eddy_sql_out_new(EDDY_SQL_OUT_JSONL, NULL, out);
        eddy_sql_exec_opts eo = {.nthreads = threads, .sinks = &sink};
        rc = eddy_sql_exec_run(plan, &eo, &err);
        eddy_sql_out_free(sink);
    }
    if (rc) {
        printf("  %s\n", err.msg);
    }
    eddy_sql_plan_free(plan);
    eddy_arena_deinit(&arena);
    return rc;
}

static int line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of b, sorted, joined. */
static char *sorted(const eddy_buf *b)
{
    size_t n = 0;
    char *copy = strndup(b->data ? (const char *)b->data : "", b->len);
    for (size_t i = 0; i < b->len; i++) {
        n += copy[i] == '\n';
    }
    char **v = calloc(n + 1, sizeof *v);
    size_t k = 0;
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

/* JSON texts equal but for numbers within 1e-9 relative. */
static bool json_close(const char *a, const char *b)
{
    bool in_str = false;
    while (*a && *b) {
        if (!in_str && (*a == '-' || (*a >= '0' && *a <= '9')) &&
            (*b == '-' || (*b >= '0' && *b <= '9'))) {
            char *ea, *eb;
            double x = strtod(a, &ea), y = strtod(b, &eb);
            if (!(x == y || fabs(x - y) <= 1e-9 * fmax(fabs(x), fabs(y)))) {
                return false;
            }
            a = ea;
            b = eb;
            continue;
        }
        if (*a != *b) {
            return false;
        }
        in_str ^= *a == '"';
        a++;
        b++;
    }
    return *a == *b;
}

TEST(filter_project_order_independent_of_threads)
{
    const char *q = "SELECT i, x * 2 + 1 AS y, s FROM 'gen:50000:7' WHERE k <> 3 AND i % 5 < 4";
    eddy_buf a, b;
    eddy_buf_init(&a, 0);
    eddy_buf_init(&b, 0);
    EXPECT_EQ_INT(run(q, 1, &a), 0);
    EXPECT_EQ_INT(run(q, 4, &b), 0);
    /* plain queries keep input order, whatever the threads */
    EXPECT_EQ_MEM(a.data, a.len, b.data, b.len);
    EXPECT_TRUE(a.len > 1000);
    eddy_buf_deinit(&a);
    eddy_buf_deinit(&b);
}

TEST(group_by_merges_worker_tables)
{
    const char *q =
        "SELECT k, COUNT(*) AS n, SUM(i) AS s, AVG(x) AS a, MIN(s) AS lo, MAX(x) AS hi, "
        "STDEV(x) AS sd, COUNT(DISTINCT i % 3) AS d FROM 'gen:100000:1000' GROUP BY k";
    eddy_buf a, b;
    eddy_buf_init(&a, 0);
    eddy_buf_init(&b, 0);
    EXPECT_EQ_INT(run(q, 1, &a), 0);
    EXPECT_EQ_INT(run(q, 4, &b), 0);
    char *sa = sorted(&a), *sb = sorted(&b);
    /* every group once, equal results (the float sums are compensated) */
    size_t lines = 0;
    for (char *p = sa; *p; p++) {
        lines += *p == '\n';
    }
    EXPECT_EQ_INT(lines, 1000);
    EXPECT_TRUE(strstr(sa, "{\"k\":7,\"n\":100,\"s\":4950700,") != NULL);
    /* Welford merges round differently by the last bits */
    EXPECT_TRUE(json_close(sa, sb));
    free(sa);
    free(sb);
    eddy_buf_deinit(&a);
    eddy_buf_deinit(&b);
}

TEST(top_n_beyond_compaction)
{
    eddy_buf a;
    eddy_buf_init(&a, 0);
    EXPECT_EQ_INT(run("SELECT i FROM 'gen:60000:10' ORDER BY k DESC, i DESC LIMIT 3", 4, &a), 0);
    eddy_buf_put_u8(&a, 0);
    EXPECT_EQ_STR((const char *)a.data, "{\"i\":59999}\n{\"i\":59989}\n{\"i\":59979}\n");
    eddy_buf_reset(&a);
    /* stable: equal keys in input order, across workers */
    EXPECT_EQ_INT(run("SELECT i FROM 'gen:30000:10' ORDER BY k LIMIT 4", 4, &a), 0);
    eddy_buf_put_u8(&a, 0);
    EXPECT_EQ_STR((const char *)a.data, "{\"i\":0}\n{\"i\":10}\n{\"i\":20}\n{\"i\":30}\n");
    eddy_buf_deinit(&a);
}

TEST(limit_takes_the_input_prefix)
{
    eddy_buf a;
    eddy_buf_init(&a, 0);
    /* workers keep at most 5 rows of each part; the prefix is the input's */
    EXPECT_EQ_INT(run("SELECT i FROM 'gen:50000:7' WHERE k <> 0 LIMIT 5", 4, &a), 0);
    eddy_buf_put_u8(&a, 0);
    EXPECT_EQ_STR((const char *)a.data, "{\"i\":1}\n{\"i\":2}\n{\"i\":3}\n{\"i\":4}\n{\"i\":5}\n");
    eddy_buf_reset(&a);
    EXPECT_EQ_INT(run("SELECT TOP 2 i FROM 'gen:50000:7' UNION ALL SELECT TOP 1 i FROM "
                      "'gen:10:7' WHERE i > 5",
                      4, &a),
                  0);
    eddy_buf_put_u8(&a, 0);
    EXPECT_EQ_STR((const char *)a.data, "{\"i\":0}\n{\"i\":1}\n{\"i\":6}\n");
    eddy_buf_deinit(&a);
}

TEST(collect_and_topone_in_input_order)
{
    eddy_buf a, b;
    eddy_buf_init(&a, 0);
    eddy_buf_init(&b, 0);
    const char *q = "SELECT k, Collect(i) AS c, TopOne() OVER (ORDER BY k) AS first "
                    "FROM 'gen:20000:2' WHERE i % 1000 < 2 GROUP BY k";
    EXPECT_EQ_INT(run(q, 1, &a), 0);
    EXPECT_EQ_INT(run(q, 4, &b), 0);
    char *sa = sorted(&a), *sb = sorted(&b);
    EXPECT_EQ_STR(sa, sb);
    EXPECT_TRUE(strstr(sa, "{\"k\":0,\"c\":[0,1000,2000,3000,4000,5000,") != NULL);
    EXPECT_TRUE(strstr(sa, "{\"k\":1,\"c\":[1,1001,2001,3001,4001,5001,") != NULL);
    EXPECT_TRUE(strstr(sa, "\"first\":{\"i\":0,") != NULL);
    EXPECT_TRUE(strstr(sa, "\"first\":{\"i\":1,") != NULL);
    free(sa);
    free(sb);
    eddy_buf_deinit(&a);
    eddy_buf_deinit(&b);
}

TEST(tumbling_count_parallel)
{
    eddy_buf a, b;
    eddy_buf_init(&a, 0);
    eddy_buf_init(&b, 0);
    const char *q = "SELECT COUNT(*) AS n, System.Timestamp() AS e FROM 'gen:10000:3' TIMESTAMP BY "
                    "ts GROUP BY TumblingWindow(minute, 1)";
    EXPECT_EQ_INT(run(q, 1, &a), 0);
    EXPECT_EQ_INT(run(q, 4, &b), 0);
    /* windows come in order of their end */
    EXPECT_EQ_MEM(a.data, a.len, b.data, b.len);
    eddy_buf_put_u8(&a, 0);
    const char *want = "{\"n\":1,\"e\":\"2025-11-24T16:00:00.0000000Z\"}\n"
                       "{\"n\":60,\"e\":\"2025-11-24T16:01:00.0000000Z\"}\n";
    EXPECT_TRUE(strncmp((const char *)a.data, want, strlen(want)) == 0);
    eddy_buf_deinit(&a);
    eddy_buf_deinit(&b);
}

/* ---- advance(): the aggregate alone, fed by hand ------------------------ */

typedef struct capture {
    op base;
    eddy_buf rows;
} capture;

static int capture_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    capture *cp = (capture *)o;
    for (uint32_t r = 0; r < in->nrows; r++) {
        for (uint32_t j = 0; j < in->ncols; j++) {
            eddy_sql_value v = eddy_sql_vec_get(&in->cols[j], r);
            eddy_sql_value_json(&cp->rows, &v);
            eddy_buf_put_u8(&cp->rows, j + 1 < in->ncols ? ' ' : '\n');
        }
    }
    return 0;
}

static void capture_free(op *o)
{
    eddy_buf_deinit(&((capture *)o)->rows);
    free(o);
}

static const op_vt capture_vt = {.name = "capture",
                                 .push = capture_push,
                                 .advance = op_advance_pass,
                                 .finish = op_finish_pass,
                                 .free = capture_free};

TEST(aggregate_advance_closes_windows)
{
    const char *q = "SELECT k, COUNT(*) AS n FROM 'gen:1:1' TIMESTAMP BY ts "
                    "GROUP BY k, TumblingWindow(second, 10)";
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_query *ast;
    eddy_sql_error err;
    eddy_sql_plan *plan = NULL;
    EXPECT_EQ_INT(eddy_sql_parse(q, strlen(q), &arena, &ast, &err), 0);
    eddy_sql_bind_opts bo = {.api = &gen_api};
    EXPECT_EQ_INT(eddy_sql_bind(ast, q, strlen(q), &bo, &plan, &err), 0);
    const eddy_sql_select_plan *sel = &plan->stmts[0].selects[0];
    exec ex;
    memset(&ex, 0, sizeof ex);
    ex.plan = plan;
    ex.nthreads = 1;
    ex.err = &err;
    pthread_mutex_init(&ex.lock, NULL);
    op *agg = op_aggregate_new(&ex, sel);
    capture *cap = (capture *)op_new(&ex, sizeof *cap, &capture_vt, 1);
    eddy_buf_init(&cap->rows, 0);
    op_out out = {&cap->base, 0};
    agg->outs = &out;
    agg->nouts = 1;
    ctx c;
    memset(&c, 0, sizeof c);
    c.ex = &ex;
    eddy_arena_init(&c.scratch, 0, 0);
    c.x.arena = &c.scratch;
    c.x.err = &c.err;
    /* the joined row: the input's columns (k, ts as requested) then its time */
    EXPECT_EQ_INT(sel->width, sel->inputs[0].ncols + 1);
    int64_t base = 1764000000000000LL; /* a multiple of 10 s */
    int64_t times[] = {1, 5, 12, 10};  /* seconds: windows ending 10, 10, 20, 10 */
    int64_t keys[] = {1, 1, 1, 2};
    for (int step = 0; step < 2; step++) {
        eddy_sql_vec cols[4];
        memset(cols, 0, sizeof cols);
        uint32_t n = step == 0 ? 3 : 1;
        int64_t *kk = step == 0 ? keys : keys + 3, *tt = step == 0 ? times : times + 3;
        for (uint32_t j = 0; j + 1 < sel->width; j++) {
            eddy_sql_vec_alloc(&cols[j], &c.scratch, EDDY_SQL_V_INT, n);
            for (uint32_t r = 0; r < n; r++) {
                cols[j].i[r] = kk[r];
            }
        }
        eddy_sql_vec *t = &cols[sel->width - 1];
        eddy_sql_vec_alloc(t, &c.scratch, EDDY_SQL_V_TIME, n);
        for (uint32_t r = 0; r < n; r++) {
            t->i[r] = base + tt[r] * 1000000;
        }
        eddy_sql_chunk ch = {.nrows = n, .ncols = sel->width, .cols = cols, .arena = &c.scratch};
        EXPECT_EQ_INT(agg->vt->push(agg, &c, 0, &ch), 0);
        if (step == 0) {
            /* the watermark passes the first window's end: it is emitted */
            EXPECT_EQ_INT(agg->vt->advance(agg, &c, base + 10 * 1000000), 0);
            eddy_buf_put_u8(&cap->rows, 0);
            EXPECT_EQ_STR((const char *)cap->rows.data, "1 \"2025-11-24T16:00:10.0000000Z\" 2\n");
            cap->rows.len--;
        }
    }
    /* the late row for the closed window was dropped; finish emits the rest */
    EXPECT_EQ_INT(agg->vt->finish(agg, &c, 0), 0);
    eddy_buf_put_u8(&cap->rows, 0);
    EXPECT_EQ_STR((const char *)cap->rows.data, "1 \"2025-11-24T16:00:10.0000000Z\" 2\n"
                                                "1 \"2025-11-24T16:00:20.0000000Z\" 1\n");
    for (uint32_t i = 0; i < ex.nops; i++) {
        if (ex.ops[i] == agg) {
            agg->outs = NULL;
        }
        ex.ops[i]->vt->free(ex.ops[i]);
    }
    free(ex.ops);
    free(ex.part_ops);
    eddy_arena_deinit(&c.scratch);
    pthread_mutex_destroy(&ex.lock);
    eddy_sql_plan_free(plan);
    eddy_arena_deinit(&arena);
}

int main(void)
{
    RUN(filter_project_order_independent_of_threads);
    RUN(group_by_merges_worker_tables);
    RUN(top_n_beyond_compaction);
    RUN(limit_takes_the_input_prefix);
    RUN(collect_and_topone_in_input_order);
    RUN(tumbling_count_parallel);
    RUN(aggregate_advance_closes_windows);
    return test_summary();
}
