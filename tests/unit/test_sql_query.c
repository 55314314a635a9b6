/* The query cases of tests/sql/query (query + expected rows or error; see
 * tests/sql/README.md), run in-process over the data in tests/sql/data
 * with the test source (sql_testsrc.h): parse, bind, execute, jsonl.
 *
 * Every case runs three ways that must all give the expectation: one
 * thread with whole chunks, two threads with 3-row chunks, four threads
 * with 7-row chunks (results must not depend on threads or chunking).
 * Rows are compared as a sorted list unless the query has an ORDER BY of
 * its own; numbers compare within 1e-9 relative.
 *
 * Cases marked "-- runner: eddy" hold an input error as the product's
 * readers word it; only tests/integration/test_sql_queries.sh runs them.
 *
 * EDDY_SQL_BLESS=1 rewrites every expectation from what the engine does
 * now (one thread); read the diff before committing it. EDDY_SQL_CASE=name
 * runs one case. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "sql/bind.h"
#include "sql/exec.h"
#include "sql/output.h"
#include "sql/parser.h"
#include "sql_testsrc.h"
#include "test.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    if (p) {
        p[n] = 0;
        *len = (size_t)n;
    }
    return p;
}

/* Runs the query; out gets jsonl rows or the rendered error. Returns 0 for
 * rows, 1 for an error. */
static int run(const char *text, size_t len, uint32_t threads, uint32_t chunk_rows, eddy_buf *out)
{
    sql_testsrc_chunk_rows = chunk_rows;
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_query *q;
    eddy_sql_error err;
    eddy_sql_plan *plan = NULL;
    int result = 1;
    if (eddy_sql_parse(text, len, &arena, &q, &err) != 0) {
        eddy_sql_error_render(&err, text, len, out);
        goto done;
    }
    eddy_sql_bind_opts bo = {.api = &sql_testsrc_api, .now_us = 1764000000000000LL};
    if (eddy_sql_bind(q, text, len, &bo, &plan, &err) != 0) {
        eddy_sql_error_render(&err, text, len, out);
        goto done;
    }
    eddy_sql_sink **sinks = calloc(plan->nstmts, sizeof *sinks);
    for (uint32_t i = 0; i < plan->nstmts; i++) {
        sinks[i] = eddy_sql_out_new(EDDY_SQL_OUT_JSONL, NULL, out);
    }
    eddy_sql_exec_opts eo = {.nthreads = threads, .sinks = sinks};
    if (eddy_sql_exec_run(plan, &eo, &err) != 0) {
        eddy_buf_reset(out);
        eddy_sql_error_render(&err, text, len, out);
    } else {
        result = 0;
    }
    for (uint32_t i = 0; i < plan->nstmts; i++) {
        eddy_sql_out_free(sinks[i]);
    }
    free(sinks);
done:
    eddy_sql_plan_free(plan);
    eddy_arena_deinit(&arena);
    return result;
}

/* The statement-level ORDER BY (not one inside OVER (...)). */
static bool has_order_by(const char *q, size_t len)
{
    for (size_t i = 0; i + 8 <= len; i++) {
        if (strncasecmp(q + i, "order by", 8) != 0) {
            continue;
        }
        size_t j = i;
        while (j > 0 && (q[j - 1] == ' ' || q[j - 1] == '\n' || q[j - 1] == '\t')) {
            j--;
        }
        if (j > 0 && q[j - 1] == '(') {
            j--;
            while (j > 0 && (q[j - 1] == ' ' || q[j - 1] == '\n' || q[j - 1] == '\t')) {
                j--;
            }
            if (j >= 4 && strncasecmp(q + j - 4, "over", 4) == 0) {
                continue;
            }
        }
        return true;
    }
    return false;
}

typedef struct lines {
    char **v;
    size_t n;
} lines;

static lines split_lines(const char *s, size_t len)
{
    lines l = {0};
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        size_t n = (size_t)(e - p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\r')) {
            n--;
        }
        if (n) {
            l.v = realloc(l.v, sizeof *l.v * (l.n + 1));
            l.v[l.n++] = strndup(p, n);
        }
        p = nl ? nl + 1 : end;
    }
    return l;
}

static void free_lines(lines *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
    }
    free(l->v);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Compares two JSON texts token by token, numbers within 1e-9 relative. */
static bool json_close(const char *a, const char *b)
{
    bool in_str = false;
    while (*a && *b) {
        if (!in_str && (*a == '-' || (*a >= '0' && *a <= '9')) &&
            (*b == '-' || (*b >= '0' && *b <= '9'))) {
            char *ea, *eb;
            double x = strtod(a, &ea), y = strtod(b, &eb);
            double tol = 1e-9 * fmax(fabs(x), fabs(y));
            if (!(fabs(x - y) <= tol) && !(x == y)) {
                return false;
            }
            a = ea;
            b = eb;
            continue;
        }
        if (*a != *b) {
            return false;
        }
        if (*a == '"') {
            in_str = !in_str;
        } else if (*a == '\\' && in_str) {
            a++;
            b++;
            if (!*a || *a != *b) {
                return false;
            }
        }
        a++;
        b++;
    }
    return *a == *b;
}

typedef struct scase {
    char *text;
    size_t len;
    size_t qlen;      /* the query: bytes before the expect comment */
    bool error;       /* expect error */
    const char *want; /* expectation body */
    size_t wantlen;
} scase;

static bool parse_case(char *text, size_t len, scase *c)
{
    memset(c, 0, sizeof *c);
    c->text = text;
    c->len = len;
    const char *m = strstr(text, "/* expect");
    if (!m) {
        return false;
    }
    c->qlen = (size_t)(m - text);
    const char *nl = strchr(m, '\n');
    if (!nl) {
        return false;
    }
    c->error = strncmp(m, "/* expect error:", 16) == 0;
    const char *end = strstr(nl + 1, "*/");
    if (!end) {
        return false;
    }
    c->want = nl + 1;
    c->wantlen = (size_t)(end - (nl + 1));
    return true;
}

static bool compare(const scase *c, int got_error, const eddy_buf *got, char *why, size_t whylen)
{
    if ((got_error != 0) != c->error) {
        snprintf(why, whylen, "expected %s, got %s", c->error ? "an error" : "rows",
                 got_error ? "an error" : "rows");
        return false;
    }
    lines w = split_lines(c->want, c->wantlen);
    lines g = split_lines(got->data ? (const char *)got->data : "", got->len);
    bool ok = true;
    if (!c->error && !has_order_by(c->text, c->qlen)) {
        if (w.n > 1) {
            qsort(w.v, w.n, sizeof *w.v, str_cmp);
        }
        if (g.n > 1) {
            qsort(g.v, g.n, sizeof *g.v, str_cmp);
        }
    }
    if (w.n != g.n) {
        snprintf(why, whylen, "expected %zu lines, got %zu", w.n, g.n);
        ok = false;
    }
    for (size_t i = 0; ok && i < w.n; i++) {
        bool same = c->error ? strcmp(w.v[i], g.v[i]) == 0 : json_close(w.v[i], g.v[i]);
        if (!same) {
            snprintf(why, whylen, "line %zu:\n      want %s\n      got  %s", i + 1, w.v[i], g.v[i]);
            ok = false;
        }
    }
    free_lines(&w);
    free_lines(&g);
    return ok;
}

static void bless(const char *path, const scase *c, int got_error, const eddy_buf *got)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        return;
    }
    fwrite(c->text, 1, c->qlen, f);
    fprintf(f, "/* expect%s:\n", got_error ? " error" : "");
    if (got->len) {
        fwrite(got->data, 1, got->len, f);
        if (got->data[got->len - 1] != '\n') {
            fputc('\n', f);
        }
    }
    fputs("*/\n", f);
    fclose(f);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

TEST(query_cases)
{
    const char *only = getenv("EDDY_SQL_CASE");
    bool blessing = getenv("EDDY_SQL_BLESS") != NULL;
    DIR *d = opendir(EDDY_SQL_QUERY_CASES);
    EXPECT_TRUE(d != NULL);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".sql") == 0) {
            names = realloc(names, sizeof *names * (n + 1));
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    EXPECT_TRUE(chdir(EDDY_SQL_DATA) == 0);
    static const struct {
        uint32_t threads, chunk;
    } modes[] = {{1, EDDY_SQL_CHUNK_ROWS}, {2, 3}, {4, 7}};
    size_t failed = 0, ran = 0;
    for (size_t i = 0; i < n; i++) {
        if (only && strncmp(names[i], only, strlen(only)) != 0) {
            free(names[i]);
            continue;
        }
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", EDDY_SQL_QUERY_CASES, names[i]);
        size_t len;
        char *text = slurp(path, &len);
        scase c;
        if (!text || !parse_case(text, len, &c)) {
            printf("  %s: no /* expect: ... */ block\n", names[i]);
            failed++;
            free(text);
            free(names[i]);
            continue;
        }
        if (strstr(text, "-- runner: eddy")) {
            /* words an input error the way the product's readers do */
            free(text);
            free(names[i]);
            continue;
        }
        ran++;
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            eddy_buf got;
            eddy_buf_init(&got, 0);
            int rc = run(c.text, c.qlen, modes[m].threads, modes[m].chunk, &got);
            if (blessing && m == 0) {
                bless(path, &c, rc, &got);
                eddy_buf_deinit(&got);
                break;
            }
            char why[2048];
            if (!compare(&c, rc, &got, why, sizeof why)) {
                printf("  %s (%u threads, %u-row chunks): %s\n", names[i], modes[m].threads,
                       modes[m].chunk, why);
                failed++;
                eddy_buf_deinit(&got);
                break;
            }
            eddy_buf_deinit(&got);
        }
        free(text);
        free(names[i]);
    }
    free(names);
    printf("  %zu query cases, %zu failed\n", ran, failed);
    EXPECT_EQ_INT(failed, 0);
}

int main(void)
{
    RUN(query_cases);
    return test_summary();
}
