/* The SQL parse cases: every .sql file in tests/sql/parse (format in
 * tests/sql/README.md) is a query and either its expected canonical print
 * or its expected rendered error. For every case that parses, the print is
 * also checked to be a fixed point (print, parse, print again: same text).
 *
 * With EDDY_SQL_BLESS=1 in the environment the runner rewrites each file's
 * expectation with what the parser does now (review the diff!). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "sql/parser.h"
#include "sql/print.h"
#include "test.h"

#define MARK_PRINT "-- expect:\n"
#define MARK_ERROR "-- expect error:\n"

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    size_t cap = 4096, n = 0, got;
    char *data = malloc(cap + 1);
    while (data && (got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            char *nd = realloc(data, cap + 1);
            if (!nd) {
                free(data);
            }
            data = nd;
        }
    }
    fclose(f);
    if (data) {
        data[n] = '\0';
    }
    *len = n;
    return data;
}

/* Finds the marker line; returns its offset or -1. */
static long find_mark(const char *text, const char *mark)
{
    for (const char *p = text; (p = strstr(p, mark)) != NULL; p++) {
        if (p == text || p[-1] == '\n') {
            return p - text;
        }
    }
    return -1;
}

static size_t trim_end(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r')) {
        n--;
    }
    return n;
}

/* Parses and prints (or renders the error) into out; returns the parse
 * code. */
static int run_query(const char *q, size_t qlen, eddy_buf *out)
{
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_query *tree;
    eddy_sql_error err;
    int rc = eddy_sql_parse(q, qlen, &arena, &tree, &err);
    if (rc == 0) {
        eddy_sql_print_query(tree, out);
    } else {
        eddy_sql_error_render(&err, q, qlen, out);
    }
    eddy_arena_deinit(&arena);
    return rc;
}

static int cases_run, cases_print, cases_error;

static void check_case(const char *dir, const char *name, int bless)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len;
    char *text = read_all(path, &len);
    if (!text) {
        TEST_FAIL_AT("%s: cannot read: %s", name, strerror(errno));
        return;
    }
    long mp = find_mark(text, MARK_PRINT), me = find_mark(text, MARK_ERROR);
    bool want_error = me >= 0 && (mp < 0 || me < mp);
    long m = want_error ? me : mp;
    if (m < 0) {
        TEST_FAIL_AT("%s: no '-- expect:' or '-- expect error:' line", name);
        free(text);
        return;
    }
    const char *mark = want_error ? MARK_ERROR : MARK_PRINT;
    const char *expect = text + m + strlen(mark);
    size_t elen = trim_end(expect, len - (size_t)(expect - text));

    eddy_buf out;
    eddy_buf_init(&out, 0);
    int rc = run_query(text, (size_t)m, &out);
    size_t olen = trim_end((const char *)out.data, out.len);
    cases_run++;
    if (rc == 0) {
        cases_print++;
    } else {
        cases_error++;
    }
    if (bless) {
        FILE *f = fopen(path, "wb");
        if (f) {
            fwrite(text, 1, (size_t)m, f);
            fputs(rc == 0 ? MARK_PRINT : MARK_ERROR, f);
            fwrite(out.data, 1, olen, f);
            fputs("\n", f);
            fclose(f);
        }
    } else if ((rc != 0) != want_error || olen != elen || memcmp(out.data, expect, elen) != 0) {
        TEST_FAIL_AT("%s: expected %s:\n%.*s\n  got %s:\n%.*s", name,
                     want_error ? "error" : "print", (int)elen, expect, rc ? "error" : "print",
                     (int)olen, (const char *)out.data);
    }
    if (rc == 0) {
        /* The fixed point: the print parses and prints to itself. */
        eddy_buf again;
        eddy_buf_init(&again, 0);
        int rc2 = run_query((const char *)out.data, olen, &again);
        size_t alen = trim_end((const char *)again.data, again.len);
        if (rc2 != 0 || alen != olen || memcmp(again.data, out.data, olen) != 0) {
            TEST_FAIL_AT("%s: printing is not a fixed point:\n%.*s\n  reprinted:\n%.*s", name,
                         (int)olen, (const char *)out.data, (int)alen, (const char *)again.data);
        }
        eddy_buf_deinit(&again);
    }
    eddy_buf_deinit(&out);
    free(text);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

TEST(parse_cases)
{
    const char *dir = EDDY_SQL_CASES;
    int bless = getenv("EDDY_SQL_BLESS") != NULL;
    DIR *d = opendir(dir);
    EXPECT_TRUE(d != NULL);
    char **names = NULL;
    size_t n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t l = strlen(ent->d_name);
        if (l > 4 && strcmp(ent->d_name + l - 4, ".sql") == 0) {
            names = realloc(names, (n + 1) * sizeof *names);
            names[n++] = strdup(ent->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        int before = test_failed_now;
        test_failed_now = 0;
        check_case(dir, names[i], bless);
        test_failed_now |= before;
        free(names[i]);
    }
    free(names);
    printf("  %d cases: %d parse, %d errors\n", cases_run, cases_print, cases_error);
    EXPECT_TRUE(cases_run >= 120);
}

int main(void)
{
    RUN(parse_cases);
    return test_summary();
}
