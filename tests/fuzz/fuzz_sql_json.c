/* Fuzz target: the JSON lines source (src/sql/src_json.c, src_jscan.c).
 * The input is a JSON lines file (read from memory through the same
 * buffered window as files, with a small read size so lines cross buffer
 * ends), projected on a few paths, nested ones included. It must read or
 * fail with a message, never crash or read out of bounds; read as one part
 * and in small byte ranges it must give the same rows (or fail in both);
 * and when the plain oracle parser (tests/unit/json_plain.c) accepts every
 * line as an object, the scanner must succeed with the oracle's values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "json_plain.h"
#include "sql_src_util.h"

static const char *const paths[] = {"a", "b", "b.c", "b.c.d", "deviceId", "t", "x\"y", "s"};
#define NPATHS (sizeof paths / sizeof *paths)

static int read_mem(const uint8_t *data, size_t size, uint64_t part, size_t read_size, rowset *rs)
{
    eddy_sql_src_opts o = {.kind = EDDY_SQL_SRC_JSON};
    eddy_sql_src *s;
    char err[512];
    int rc = eddy_sql_src_open_mem(&o, "fuzz.jsonl", data, size, &s, err, sizeof err);
    if (rc) {
        abort(); /* opening memory reads only a sample; it cannot fail */
    }
    proj pj;
    proj_set(&pj, paths, NPATHS);
    if (eddy_sql_src_project(s, pj.cols, pj.n, err, sizeof err)) {
        abort();
    }
    size_t n = eddy_sql_src_split_bytes(s, part, read_size);
    rc = read_all(s, n, rs, err, sizeof err);
    if (rc && (rc != EDDY_ERR_PARSE || strncmp(err, "fuzz.jsonl:", 11) != 0)) {
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
    case EDDY_SQL_V_BOOL:
        return a->b == b->b;
    case EDDY_SQL_V_INT:
        return a->i == b->i;
    case EDDY_SQL_V_DOUBLE:
        return a->d == b->d || (isnan(a->d) && isnan(b->d));
    default:
        return a->s.len == b->s.len && memcmp(a->s.p, b->s.p, a->s.len) == 0;
    }
}

static bool blank(const char *p, const char *e)
{
    for (; p < e; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r') {
            return false;
        }
    }
    return true;
}

/* The oracle's rows, or -1 when it rejects a line. */
static int oracle(const uint8_t *data, size_t size, const rowset *rs)
{
    const char *p = (const char *)data, *end = p + size;
    if (size >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
    }
    proj pj;
    proj_set(&pj, paths, NPATHS);
    size_t row = 0;
    int verdict = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (!blank(p, e)) {
            jp_value *v = jp_parse(p, (size_t)(e - p));
            if (!jp_is_object(v)) {
                jp_free(v);
                return -1;
            }
            if (verdict == 0 && rs) {
                if (row >= rs->nrows) {
                    abort();
                }
                for (size_t c = 0; c < NPATHS; c++) {
                    eddy_sql_value w =
                        jp_get(v, pj.cols[c].parts, pj.cols[c].lens, pj.cols[c].nparts);
                    if (!same(&w, cell(rs, row, c))) {
                        abort();
                    }
                }
            }
            row++;
            jp_free(v);
        }
        p = nl ? nl + 1 : end;
    }
    if (rs && row != rs->nrows) {
        abort();
    }
    return verdict;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < size && i < 64; i++) {
        h = (h ^ data[i]) * 1099511628211ull;
    }
    rowset whole, parts;
    int rc = read_mem(data, size, size + 1, 4096, &whole);
    int rc2 = read_mem(data, size, 1 + h % 23, 8 + (h >> 8) % 64, &parts);
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
    if (oracle(data, size, NULL) == 0) {
        /* Every line is an object for the oracle: the scanner must agree. */
        if (rc != 0) {
            abort();
        }
        oracle(data, size, &whole);
    }
    rowset_free(&whole);
    rowset_free(&parts);
    return 0;
}
