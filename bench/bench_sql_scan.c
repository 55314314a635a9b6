/* bench_sql_scan: the JSON lines source's scan speed (src/sql/src_json.c)
 * against DuckDB's read_json over the same file.
 *
 * Generates EDDY_BENCH_LINES (default 5,000,000) telemetry lines of about
 * 130 bytes into a temp file, e.g.
 *   {"deviceId":"device-0042","ts":"2026-11-24T20:00:00.123Z",
 *    "temperature":21.37,"humidity":44.2,"status":"ok","seq":12345}
 * and times a full scan per projection ({temperature}, {deviceId,
 * temperature, seq}, all six) and thread count (1, 2): split, readers on
 * worker threads taking parts from a shared counter, every chunk's values
 * touched (count and sum of temperature). The page cache is warmed first;
 * each figure is the best of EDDY_BENCH_REPS (default 3) runs.
 *
 * The peer: DuckDB through node (@duckdb/node-api in the source tree's
 * node_modules; skipped when missing) running
 *   SELECT count(*), sum(temperature) FROM read_json('FILE')
 * with SET threads = 1 and 2, timed inside node (query only), best of the
 * same number of runs. Its count and sum must equal eddy's (the sum to
 * 1e-9 relative). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "sql/source.h"

#ifndef EDDY_SOURCE_DIR
#define EDDY_SOURCE_DIR "."
#endif

static double env_num(const char *name, double def)
{
    const char *v = getenv(name);
    return v && *v ? atof(v) : def;
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int generate(const char *path, uint64_t lines, uint64_t *bytes)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -1;
    }
    static const char *const status[] = {"ok", "ok", "ok", "warn", "error"};
    char line[256];
    uint64_t total = 0;
    int64_t base_ms = 1795550400000; /* 2026-11-24T20:00:00Z */
    for (uint64_t i = 0; i < lines; i++) {
        int64_t ms = base_ms + (int64_t)i * 7;
        int64_t sec = ms / 1000;
        int n = snprintf(line, sizeof line,
                         "{\"deviceId\":\"device-%04u\",\"ts\":\"2026-11-%02d"
                         "T%02d:%02d:%02d.%03dZ\",\"temperature\":%d.%02u,\"humidity\":%u.%u,"
                         "\"status\":\"%s\",\"seq\":%" PRIu64 "}\n",
                         (unsigned)(rnd() % 1000), 24 + (int)(sec / 86400 % 5),
                         (int)(sec / 3600 % 24), (int)(sec / 60 % 60), (int)(sec % 60),
                         (int)(ms % 1000), (int)(rnd() % 60) - 20, (unsigned)(rnd() % 100),
                         (unsigned)(rnd() % 100), (unsigned)(rnd() % 10), status[rnd() % 5], i);
        if (fwrite(line, 1, (size_t)n, f) != (size_t)n) {
            fclose(f);
            return -1;
        }
        total += (uint64_t)n;
    }
    *bytes = total;
    return fclose(f);
}

typedef struct job {
    eddy_sql_src *src;
    size_t nparts;
    atomic_size_t next;
    int temp_col; /* column index of temperature, or -1 */
    atomic_int failed;
} job;

typedef struct result {
    uint64_t rows;
    double sum;
} result;

static void *worker(void *arg)
{
    job *j = arg;
    result *res = calloc(1, sizeof *res);
    char err[512];
    for (;;) {
        size_t part = atomic_fetch_add(&j->next, 1);
        if (part >= j->nparts) {
            break;
        }
        eddy_sql_src_reader *r;
        if (eddy_sql_src_reader_open(j->src, part, &r)) {
            atomic_store(&j->failed, 1);
            break;
        }
        for (;;) {
            eddy_sql_chunk ch;
            if (eddy_sql_src_read(r, &ch, err, sizeof err)) {
                fprintf(stderr, "bench_sql_scan: %s\n", err);
                atomic_store(&j->failed, 1);
                break;
            }
            if (ch.nrows == 0) {
                break;
            }
            res->rows += ch.nrows;
            if (j->temp_col >= 0) {
                const eddy_sql_vec *v = &ch.cols[j->temp_col];
                if (v->type == EDDY_SQL_V_DOUBLE) {
                    double s = 0;
                    for (uint32_t i = 0; i < ch.nrows; i++) {
                        s += !v->valid || v->valid[i] ? v->d[i] : 0.0;
                    }
                    res->sum += s;
                } else if (v->type == EDDY_SQL_V_INT) {
                    for (uint32_t i = 0; i < ch.nrows; i++) {
                        res->sum += !v->valid || v->valid[i] ? (double)v->i[i] : 0.0;
                    }
                }
            }
            for (uint32_t c = 0; c < ch.ncols; c++) {
                bench_sink((uint64_t)ch.cols[c].type);
            }
        }
        eddy_sql_src_reader_close(r);
    }
    return res;
}

/* One scan; returns seconds, or -1. */
static double scan(const char *path, const char *const *cols, size_t ncols, int threads,
                   result *out)
{
    eddy_sql_src_opts o = {.kind = EDDY_SQL_SRC_JSON, .pattern = path};
    eddy_sql_src *s;
    char err[512];
    double t0 = bench_now();
    if (eddy_sql_src_open(&o, &s, err, sizeof err)) {
        fprintf(stderr, "bench_sql_scan: %s\n", err);
        return -1;
    }
    eddy_sql_src_col pc[8];
    uint32_t lens[8];
    job j = {.src = s, .temp_col = -1};
    for (size_t i = 0; i < ncols; i++) {
        lens[i] = (uint32_t)strlen(cols[i]);
        pc[i] = (eddy_sql_src_col){&cols[i], &lens[i], 1};
        if (strcmp(cols[i], "temperature") == 0) {
            j.temp_col = (int)i;
        }
    }
    if (eddy_sql_src_project(s, pc, ncols, err, sizeof err)) {
        fprintf(stderr, "bench_sql_scan: %s\n", err);
        eddy_sql_src_close(s);
        return -1;
    }
    j.nparts = eddy_sql_src_split(s, (size_t)threads);
    pthread_t th[16];
    for (int i = 0; i < threads; i++) {
        pthread_create(&th[i], NULL, worker, &j);
    }
    memset(out, 0, sizeof *out);
    for (int i = 0; i < threads; i++) {
        void *rv;
        pthread_join(th[i], &rv);
        result *r = rv;
        out->rows += r->rows;
        out->sum += r->sum;
        free(r);
    }
    double t = bench_now() - t0;
    eddy_sql_src_close(s);
    return atomic_load(&j.failed) ? -1 : t;
}

/* DuckDB through node: best query time, count and sum; -1 when missing. */
static double duckdb(const char *path, int threads, int reps, uint64_t *count, double *sum)
{
    char probe[600];
    snprintf(probe, sizeof probe, "%s/node_modules/@duckdb/node-api/package.json", EDDY_SOURCE_DIR);
    if (access(probe, R_OK) != 0) {
        return -1;
    }
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && node --input-type=module -e \""
             "import { DuckDBInstance } from '@duckdb/node-api';"
             "const db = await DuckDBInstance.create(':memory:');"
             "const c = await db.connect();"
             "await c.run('SET threads = %d');"
             "let best = 1e9, row;"
             "for (let i = 0; i < %d; i++) {"
             "  const t0 = process.hrtime.bigint();"
             "  const r = await c.runAndReadAll(\\\"SELECT count(*)::BIGINT AS n, "
             "sum(temperature)::DOUBLE AS s FROM read_json('%s')\\\");"
             "  const t = Number(process.hrtime.bigint() - t0) / 1e9;"
             "  row = r.getRows()[0]; if (t < best) best = t;"
             "}"
             "console.log(best, String(row[0]), row[1].toPrecision(17));"
             "\" 2>&1",
             EDDY_SOURCE_DIR, threads, reps, path);
    FILE *p = popen(cmd, "r");
    if (!p) {
        return -1;
    }
    char out[1024] = "";
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    double t = -1;
    if (st != 0 || sscanf(out, "%lf %" SCNu64 " %lf", &t, count, sum) != 3) {
        fprintf(stderr, "bench_sql_scan: duckdb failed: %s\n", out);
        return -1;
    }
    return t;
}

int main(void)
{
    uint64_t lines = (uint64_t)env_num("EDDY_BENCH_LINES", 5e6);
    int reps = (int)env_num("EDDY_BENCH_REPS", 3);
    char dir[] = "/tmp/eddy-bench-scan-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/telemetry.jsonl", dir);
    uint64_t bytes;
    double t0 = bench_now();
    if (generate(path, lines, &bytes) != 0) {
        fprintf(stderr, "bench_sql_scan: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(stderr, "bench_sql_scan: %" PRIu64 " lines, %.1f MB (%.0f B/line) in %.1f s\n", lines,
            (double)bytes / 1e6, (double)bytes / (double)lines, bench_now() - t0);

    static const char *const one[] = {"temperature"};
    static const char *const three[] = {"deviceId", "temperature", "seq"};
    static const char *const all[] = {"deviceId", "ts", "temperature", "humidity", "status", "seq"};
    struct {
        const char *name;
        const char *const *cols;
        size_t n;
    } projs[] = {{"1 column", one, 1}, {"3 columns", three, 3}, {"all 6 columns", all, 6}};
    result warm;
    scan(path, one, 1, 2, &warm); /* page cache */
    double eddy_one[3] = {0};
    result eddy_res = {0};
    fprintf(stderr, "| projection | threads | MB/s | M rows/s | s |\n|---|---|---|---|---|\n");
    for (size_t p = 0; p < 3; p++) {
        for (int th = 1; th <= 2; th++) {
            double best = 1e30;
            result res = {0};
            for (int k = 0; k < reps; k++) {
                double t = scan(path, projs[p].cols, projs[p].n, th, &res);
                if (t < 0) {
                    return 1;
                }
                best = t < best ? t : best;
            }
            if (res.rows != lines) {
                fprintf(stderr, "bench_sql_scan: %" PRIu64 " rows, expected %" PRIu64 "\n",
                        res.rows, lines);
                return 1;
            }
            fprintf(stderr, "| %s | %d | %.0f | %.2f | %.3f |\n", projs[p].name, th,
                    (double)bytes / best / 1e6, (double)lines / best / 1e6, best);
            if (p == 0) {
                eddy_one[th] = best;
                eddy_res = res;
            }
        }
    }
    for (int th = 1; th <= 2; th++) {
        uint64_t dn = 0;
        double ds = 0;
        double t = duckdb(path, th, reps, &dn, &ds);
        char name[128];
        snprintf(name, sizeof name, "JSON lines scan, count + sum(temperature), %d thread%s (MB/s)",
                 th, th > 1 ? "s" : "");
        if (t < 0) {
            fprintf(stderr, "bench_sql_scan: DuckDB (node_modules/@duckdb/node-api) not found; "
                            "no peer\n");
            bench_row(name, (double)bytes / eddy_one[th] / 1e6, "DuckDB read_json", 0, "MB/s");
            continue;
        }
        if (dn != eddy_res.rows || fabs(ds - eddy_res.sum) > 1e-9 * fabs(ds)) {
            fprintf(stderr,
                    "bench_sql_scan: results differ: eddy %" PRIu64 " rows, sum %.17g; DuckDB "
                    "%" PRIu64 " rows, sum %.17g\n",
                    eddy_res.rows, eddy_res.sum, dn, ds);
            return 1;
        }
        bench_row(name, (double)bytes / eddy_one[th] / 1e6, "DuckDB read_json",
                  (double)bytes / t / 1e6, "MB/s");
    }
    unlink(path);
    rmdir(dir);
    return 0;
}
