/* Fuzz target: the CSV source (src/sql/src_csv.c). The input is a CSV file
 * (read from memory with a small read size), with or without a header and
 * with ',' or ';' (chosen from a hash of the input). It must read or fail
 * with a message naming the file, never crash; and read whole and split
 * into small ranges (at the record starts the splitter finds by running
 * the quote rules over the file) it must give the same rows, or fail in
 * both. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sql_src_util.h"

static const char *const paths[] = {"col1", "col2", "col3", "a", "b", "col9"};
#define NPATHS (sizeof paths / sizeof *paths)

static int read_mem(const uint8_t *data, size_t size, bool header, char delim, uint64_t part,
                    size_t read_size, rowset *rs)
{
    eddy_sql_src_opts o = {.kind = EDDY_SQL_SRC_CSV, .csv_header = header, .csv_delim = delim};
    eddy_sql_src *s;
    char err[512];
    int rc = eddy_sql_src_open_mem(&o, "fuzz.csv", data, size, &s, err, sizeof err);
    memset(rs, 0, sizeof *rs);
    if (rc) {
        if (rc != EDDY_ERR_PARSE || strncmp(err, "fuzz.csv:", 9) != 0) {
            abort();
        }
        return rc;
    }
    proj pj;
    proj_set(&pj, paths, NPATHS);
    if (eddy_sql_src_project(s, pj.cols, pj.n, err, sizeof err)) {
        abort();
    }
    size_t n = eddy_sql_src_split_bytes(s, part, read_size);
    rc = read_all(s, n, rs, err, sizeof err);
    if (rc &&
        ((rc != EDDY_ERR_PARSE && rc != EDDY_ERR_LIMIT) || strncmp(err, "fuzz.csv", 8) != 0)) {
        abort();
    }
    eddy_sql_src_close(s);
    return rc;
}

static bool num(const eddy_sql_value *v)
{
    return v->type == EDDY_SQL_V_INT || v->type == EDDY_SQL_V_DOUBLE;
}

static double as_double(const eddy_sql_value *v)
{
    return v->type == EDDY_SQL_V_INT ? (double)v->i : v->d;
}

static bool same(const eddy_sql_value *a, const eddy_sql_value *b)
{
    if (a->type != b->type) {
        return num(a) && num(b) && as_double(a) == as_double(b);
    }
    switch (a->type) {
    case EDDY_SQL_V_NULL:
        return true;
    case EDDY_SQL_V_INT:
        return a->i == b->i;
    case EDDY_SQL_V_DOUBLE:
        return a->d == b->d || (a->d != a->d && b->d != b->d);
    default:
        return a->s.len == b->s.len && memcmp(a->s.p, b->s.p, a->s.len) == 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < size && i < 64; i++) {
        h = (h ^ data[i]) * 1099511628211ull;
    }
    bool header = h & 1;
    char delim = h & 2 ? ';' : ',';
    rowset whole, parts;
    int rc = read_mem(data, size, header, delim, size * 2 + 1, 4096, &whole);
    int rc2 = read_mem(data, size, header, delim, 1 + (h >> 2) % 19, 8 + (h >> 8) % 32, &parts);
    if ((rc == 0) != (rc2 == 0)) {
        abort();
    }
    if (rc == 0) {
        if (whole.nrows != parts.nrows) {
            abort();
        }
        for (size_t r = 0; r < whole.nrows; r++) {
            for (size_t c = 0; c < NPATHS; c++) {
                if (!same(cell(&whole, r, c), cell(&parts, r, c))) {
                    abort();
                }
            }
        }
    }
    rowset_free(&whole);
    rowset_free(&parts);
    return 0;
}
