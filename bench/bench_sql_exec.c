/* SQL executor benchmark: eddy's engine over in-memory columns, to compare
 * with DuckDB over a table of the same values (bench/bench_sql_exec.mjs
 * runs both and prints the rows). This measures the executor alone —
 * filters, expressions, hash aggregation, windows, CSV output — not the
 * file readers; bench/bench_sql.mjs compares whole queries over NDJSON
 * files.
 *
 * Data: N rows (EDDY_BENCH_SQL_ROWS, default 10,000,000) of
 *   k1k = i % 1000, k1m = (i * 7919) % 1000003 (about 1M groups),
 *   v1..v4 = ((i * M_j) % 1000003) / 1000003.0 for four multipliers,
 *   ts = 2026-01-01T00:00:00Z + i * 10 ms,
 * built once; the source hands out 2048-row chunks that point into the
 * arrays (reading costs nothing). Each query runs on 2 threads, writes CSV
 * to /dev/null, best of 3. Prints one line per query:
 *   name seconds output_rows */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/error.h"
#include "sql/bind.h"
#include "sql/exec.h"
#include "sql/output.h"
#include "sql/parser.h"
#include "sql/value.h"

static const char *const names[] = {"k1k", "k1m", "v1", "v2", "v3", "v4", "ts"};
#define NCOLS 7

static int64_t nrows;
static void *data[NCOLS];

struct eddy_sql_src {
    uint32_t cols[NCOLS];
    uint32_t ncols;
    size_t nparts;
};

struct eddy_sql_src_reader {
    eddy_sql_src *s;
    int64_t next, end;
    eddy_sql_vec vecs[NCOLS];
};

static int mem_open(const eddy_sql_src_opts *o, eddy_sql_src **out, char *err, size_t errlen)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : EDDY_ERR_NOMEM;
}

static size_t mem_columns(const eddy_sql_src *s, const char *const **n)
{
    *n = names;
    return NCOLS;
}

static int mem_project(eddy_sql_src *s, const eddy_sql_src_col *cols, size_t ncols, char *err,
                       size_t errlen)
{
    s->ncols = (uint32_t)ncols;
    for (size_t i = 0; i < ncols; i++) {
        for (uint32_t c = 0; c < NCOLS; c++) {
            if (strlen(names[c]) == cols[i].lens[0] &&
                memcmp(names[c], cols[i].parts[0], cols[i].lens[0]) == 0) {
                s->cols[i] = c;
            }
        }
    }
    return 0;
}

static size_t mem_split(eddy_sql_src *s, size_t nthreads)
{
    s->nparts = nthreads * 8;
    return s->nparts;
}

static int mem_reader_open(eddy_sql_src *s, size_t part, eddy_sql_src_reader **out)
{
    eddy_sql_src_reader *r = calloc(1, sizeof *r);
    if (!r) {
        return EDDY_ERR_NOMEM;
    }
    r->s = s;
    r->next = nrows * (int64_t)part / (int64_t)s->nparts;
    r->end = nrows * (int64_t)(part + 1) / (int64_t)s->nparts;
    *out = r;
    return 0;
}

static int mem_read(eddy_sql_src_reader *r, eddy_sql_chunk *c, char *err, size_t errlen)
{
    int64_t n = r->end - r->next;
    if (n > EDDY_SQL_CHUNK_ROWS) {
        n = EDDY_SQL_CHUNK_ROWS;
    }
    c->nrows = (uint32_t)n;
    c->ncols = r->s->ncols;
    c->cols = r->vecs;
    c->arena = NULL;
    for (uint32_t j = 0; j < r->s->ncols; j++) {
        uint32_t src = r->s->cols[j];
        eddy_sql_vec *v = &r->vecs[j];
        memset(v, 0, sizeof *v);
        v->n = (uint32_t)n;
        if (src == 0 || src == 1) {
            v->type = EDDY_SQL_V_INT;
            v->i = (int64_t *)data[src] + r->next;
        } else if (src == 6) {
            v->type = EDDY_SQL_V_TIME;
            v->i = (int64_t *)data[src] + r->next;
        } else {
            v->type = EDDY_SQL_V_DOUBLE;
            v->d = (double *)data[src] + r->next;
        }
    }
    r->next += n;
    return 0;
}

static void mem_reader_close(eddy_sql_src_reader *r)
{
    free(r);
}

static void mem_close(eddy_sql_src *s)
{
    free(s);
}

static const eddy_sql_src_api mem_api = {mem_open,        mem_columns, mem_project,      mem_split,
                                         mem_reader_open, mem_read,    mem_reader_close, mem_close};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int run(const char *name, const char *q, uint32_t threads)
{
    double best = 1e9;
    uint64_t rows = 0;
    for (int rep = 0; rep < 3; rep++) {
        eddy_arena arena;
        eddy_arena_init(&arena, 0, 0);
        eddy_sql_query *ast;
        eddy_sql_error err;
        eddy_sql_plan *plan = NULL;
        FILE *null = fopen("/dev/null", "w");
        double t0 = now();
        int rc = eddy_sql_parse(q, strlen(q), &arena, &ast, &err);
        eddy_sql_bind_opts bo = {.api = &mem_api};
        if (rc == 0) {
            rc = eddy_sql_bind(ast, q, strlen(q), &bo, &plan, &err);
        }
        eddy_sql_sink *sink = NULL;
        if (rc == 0) {
            sink = eddy_sql_out_new(EDDY_SQL_OUT_CSV, null, NULL);
            eddy_sql_exec_opts eo = {.nthreads = threads, .sinks = &sink};
            rc = eddy_sql_exec_run(plan, &eo, &err);
        }
        double t = now() - t0;
        if (rc) {
            fprintf(stderr, "bench_sql_exec: %s: %s\n", name, err.msg);
            return 1;
        }
        rows = eddy_sql_out_rows(sink);
        eddy_sql_out_free(sink);
        fclose(null);
        eddy_sql_plan_free(plan);
        eddy_arena_deinit(&arena);
        if (t < best) {
            best = t;
        }
    }
    printf("%s %.4f %llu\n", name, best, (unsigned long long)rows);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    const char *env = getenv("EDDY_BENCH_SQL_ROWS");
    nrows = env ? atoll(env) : 10000000;
    uint32_t threads = argc > 1 ? (uint32_t)atoi(argv[1]) : 2;
    for (int c = 0; c < NCOLS; c++) {
        data[c] = malloc(sizeof(int64_t) * (size_t)nrows);
        if (!data[c]) {
            fprintf(stderr, "bench_sql_exec: out of memory\n");
            return 1;
        }
    }
    static const uint64_t mult[] = {2654435761ULL, 40503ULL, 2246822519ULL, 3266489917ULL};
    for (int64_t i = 0; i < nrows; i++) {
        ((int64_t *)data[0])[i] = i % 1000;
        ((int64_t *)data[1])[i] = (i * 7919) % 1000003;
        for (int j = 0; j < 4; j++) {
            ((double *)data[2 + j])[i] = (double)(((uint64_t)i * mult[j]) % 1000003) / 1000003.0;
        }
        ((int64_t *)data[6])[i] = 1767225600000000LL + i * 10000; /* 2026-01-01 + i*10ms */
    }
    int rc = 0;
    rc |= run("filter_project", "SELECT k1k, v1 * 2 + v2 AS y FROM 'mem' WHERE v3 > 0.5", threads);
    rc |= run("group_1k",
              "SELECT k1k, COUNT(*) AS n, SUM(v1) AS s, AVG(v2) AS a, MIN(v3) AS lo, MAX(v4) AS hi "
              "FROM 'mem' GROUP BY k1k",
              threads);
    rc |= run("group_1m",
              "SELECT k1m, COUNT(*) AS n, SUM(v1) AS s, AVG(v2) AS a, MIN(v3) AS lo, MAX(v4) AS hi "
              "FROM 'mem' GROUP BY k1m",
              threads);
    rc |= run("tumbling_count",
              "SELECT COUNT(*) AS n, System.Timestamp() AS e FROM 'mem' TIMESTAMP BY ts "
              "GROUP BY TumblingWindow(second, 10)",
              threads);
    for (int c = 0; c < NCOLS; c++) {
        free(data[c]);
    }
    return rc;
}
