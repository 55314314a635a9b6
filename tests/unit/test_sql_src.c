/* The JSON lines source (src/sql/src_json.c, src_jscan.c) and the source
 * plumbing shared by every format: file listing, projection, splitting,
 * per-chunk typing. The fast scanner is compared with the plain parser of
 * json_plain.c on generated lines (escapes, unicode, nesting, numbers of
 * every shape, missing and duplicate keys, mixed types), for several split
 * sizes and buffer sizes: the parts' rows together must be the file's. */
#include <errno.h>
#include <math.h>

#include "json_plain.h"
#include "sql_src_util.h"
#include "test.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static size_t pick(size_t n)
{
    return (size_t)(rnd() % n);
}

static int open_json(const char *pattern, eddy_sql_src **s, char *err, size_t errlen)
{
    eddy_sql_src_opts o = {.kind = EDDY_SQL_SRC_JSON, .pattern = pattern};
    return eddy_sql_src_open(&o, s, err, errlen);
}

/* ---- generated lines ------------------------------------------------ */

typedef struct gen {
    char *p;
    size_t n, cap;
} gen;

static void put(gen *g, const char *s)
{
    size_t m = strlen(s);
    if (g->n + m + 1 > g->cap) {
        g->cap = (g->n + m + 1) * 2;
        g->p = realloc(g->p, g->cap);
    }
    memcpy(g->p + g->n, s, m);
    g->n += m;
    g->p[g->n] = '\0';
}

static void sp(gen *g)
{
    static const char *const ws[] = {"", "", "", "", " ", "  ", "\t", " \r "};
    put(g, ws[pick(8)]);
}

static const char *const numbers[] = {
    "0",
    "-0",
    "1",
    "-1",
    "42",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "-9223372036854775809",
    "123456789012345678901234567890",
    "1.5",
    "-0.0",
    "0.1",
    "21.37",
    "44.2",
    "1e10",
    "1E-5",
    "2.5e+3",
    "3.141592653589793238462643",
    "1.7976931348623157e308",
    "4.9e-324",
    "2.2250738585072011e-308",
    "1e400",
    "-1e-400",
    "0.000000000000000000000000000123",
    "100000000000000000000000.5",
    "9007199254740993",
    "9007199254740993.0",
    "123456.789e-3",
    "7e22",
    "7e23",
    "0e0",
    "1234567890123456789",
    "12345678901234567890.0",
};

static const char *const strings[] = {
    "\"\"",
    "\"ok\"",
    "\"device-0042\"",
    "\"2026-11-24T20:00:00.123Z\"",
    "\"a\\\"b\"",
    "\"back\\\\slash\"",
    "\"line\\nbreak\\ttab\\r\"",
    "\"\\u00e9t\\u00E9\"",
    "\"\\ud83d\\ude00\"",
    "\"lone \\ud800 surrogate\"",
    "\"lone low \\udc00\"",
    "\"caf\xc3\xa9 raw\"",
    "\"\\/\\b\\f\"",
    "\"x\\u0000y\"",
    "\"a long string that goes on past sixteen bytes, with a \\\"quote\\\"\"",
    "\"{not an object}\"",
    "\"trailing backslash \\\\\"",
};

static void value(gen *g, int depth);

static void object(gen *g, int depth)
{
    static const char *const keys[] = {"x", "y", "z", "w", "x\\u0079"};
    put(g, "{");
    sp(g);
    size_t n = pick(4);
    for (size_t i = 0; i < n; i++) {
        if (i) {
            put(g, ",");
            sp(g);
        }
        put(g, "\"");
        put(g, keys[pick(5)]);
        put(g, "\"");
        sp(g);
        put(g, ":");
        sp(g);
        value(g, depth + 1);
        sp(g);
    }
    put(g, "}");
}

static void value(gen *g, int depth)
{
    size_t k = pick(depth > 3 ? 5 : 8);
    switch (k) {
    case 0:
    case 1:
        put(g, numbers[pick(sizeof numbers / sizeof *numbers)]);
        break;
    case 2:
        put(g, strings[pick(sizeof strings / sizeof *strings)]);
        break;
    case 3:
        put(g, pick(2) ? "true" : "false");
        break;
    case 4:
        put(g, "null");
        break;
    case 5:
    case 6:
        object(g, depth);
        break;
    default: {
        put(g, "[");
        size_t n = pick(4);
        for (size_t i = 0; i < n; i++) {
            if (i) {
                put(g, ",");
            }
            sp(g);
            value(g, depth + 1);
        }
        put(g, "]");
        break;
    }
    }
}

static const char *const top_keys[] = {
    "deviceId", "temperature", "n", "s", "nested", "arr", "flag", "dup", "e\\u0073c", "x",
};

/* One line: keys mostly in one order (the scanner predicts it), some
 * shuffled, missing or repeated. */
static void line(gen *g)
{
    sp(g);
    put(g, "{");
    sp(g);
    size_t nk = sizeof top_keys / sizeof *top_keys;
    size_t order[16];
    size_t n = 0;
    for (size_t i = 0; i < nk; i++) {
        if (pick(5)) {
            order[n++] = i;
        }
    }
    if (pick(4) == 0 && n > 1) {
        size_t a = pick(n), b = pick(n);
        size_t t = order[a];
        order[a] = order[b];
        order[b] = t;
    }
    if (pick(6) == 0) {
        order[n++] = 7; /* "dup" again */
    }
    for (size_t i = 0; i < n; i++) {
        if (i) {
            put(g, ",");
            sp(g);
        }
        put(g, "\"");
        put(g, top_keys[order[i]]);
        put(g, "\"");
        sp(g);
        put(g, ":");
        sp(g);
        if (order[i] == 0) {
            put(g, strings[pick(4)]);
        } else if (order[i] == 1 && pick(3)) {
            put(g, numbers[13 + pick(2)]);
        } else if (order[i] == 4 && pick(2)) {
            object(g, 1);
        } else {
            value(g, 0);
        }
        sp(g);
    }
    put(g, "}");
    sp(g);
}

static bool same_value(const eddy_sql_value *a, const eddy_sql_value *b)
{
    if (a->type != b->type) {
        return false;
    }
    switch (a->type) {
    case EDDY_SQL_V_NULL:
        return true;
    case EDDY_SQL_V_BOOL:
        return a->b == b->b;
    case EDDY_SQL_V_INT:
    case EDDY_SQL_V_TIME:
        return a->i == b->i;
    case EDDY_SQL_V_DOUBLE:
        return memcmp(&a->d, &b->d, sizeof a->d) == 0 || (isnan(a->d) && isnan(b->d));
    default:
        return a->s.len == b->s.len && memcmp(a->s.p, b->s.p, a->s.len) == 0;
    }
}

static void print_value(const char *label, const eddy_sql_value *v)
{
    printf("    %s: type %d", label, (int)v->type);
    switch (v->type) {
    case EDDY_SQL_V_INT:
        printf(" %lld", (long long)v->i);
        break;
    case EDDY_SQL_V_DOUBLE:
        printf(" %.17g", v->d);
        break;
    case EDDY_SQL_V_BOOL:
        printf(" %d", v->b);
        break;
    case EDDY_SQL_V_STRING:
    case EDDY_SQL_V_RECORD:
    case EDDY_SQL_V_ARRAY:
        printf(" '%.*s'", (int)v->s.len, v->s.p);
        break;
    default:
        break;
    }
    printf("\n");
}

/* The chunk type the oracle's values of one column in one chunk call for. */
static eddy_sql_vtype expected_type(const eddy_sql_value *vals, size_t n)
{
    eddy_sql_vtype t = EDDY_SQL_V_NULL;
    for (size_t i = 0; i < n; i++) {
        eddy_sql_vtype u = vals[i].type;
        if (u == EDDY_SQL_V_NULL || u == t) {
            continue;
        }
        if (t == EDDY_SQL_V_NULL) {
            t = u;
        } else if ((t == EDDY_SQL_V_INT && u == EDDY_SQL_V_DOUBLE) ||
                   (t == EDDY_SQL_V_DOUBLE && u == EDDY_SQL_V_INT)) {
            t = EDDY_SQL_V_DOUBLE;
        } else {
            return EDDY_SQL_V_ANY;
        }
    }
    return t;
}

/* Compares rs (the scanner's rows) with the oracle over the file's lines:
 * values, and each chunk's vector types. */
static int check_against_oracle(const char *text, size_t len, const proj *pj, const rowset *rs)
{
    size_t row = 0;
    const char *p = text, *end = text + len;
    eddy_sql_value *want = calloc(rs->nrows * pj->n + 1, sizeof *want);
    jp_value **trees = calloc(rs->nrows + 1, sizeof *trees);
    int bad = 0;
    while (p < end && !bad) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        const char *q = p;
        while (q < e && (*q == ' ' || *q == '\t' || *q == '\r')) {
            q++;
        }
        if (q < e) {
            jp_value *v = jp_parse(p, (size_t)(e - p));
            if (!jp_is_object(v)) {
                printf("    oracle rejects line: %.*s\n", (int)(e - p), p);
                jp_free(v);
                bad = 1;
                break;
            }
            if (row >= rs->nrows) {
                printf("    scanner has fewer rows than %zu\n", row + 1);
                jp_free(v);
                bad = 1;
                break;
            }
            for (size_t c = 0; c < pj->n; c++) {
                want[row * pj->n + c] =
                    jp_get(v, pj->cols[c].parts, pj->cols[c].lens, pj->cols[c].nparts);
            }
            trees[row] = v;
            row++;
        }
        p = nl ? nl + 1 : end;
    }
    if (!bad && row != rs->nrows) {
        printf("    rows: scanner %zu, oracle %zu\n", rs->nrows, row);
        bad = 1;
    }
    for (size_t r = 0; r < rs->nrows && !bad; r++) {
        for (size_t c = 0; c < pj->n && !bad; c++) {
            eddy_sql_value w = want[r * pj->n + c];
            const eddy_sql_value *got = cell(rs, r, c);
            eddy_sql_vtype vt = rs->vt[r * rs->ncols + c];
            if (vt == EDDY_SQL_V_DOUBLE && w.type == EDDY_SQL_V_INT) {
                w.type = EDDY_SQL_V_DOUBLE;
                w.d = (double)w.i;
            }
            if (!same_value(&w, got)) {
                printf("    row %zu column %s differs (vector type %d)\n", r, pj->store[c],
                       (int)vt);
                print_value("oracle", &w);
                print_value("scanner", got);
                bad = 1;
            }
        }
    }
    /* Chunk types. */
    for (size_t r = 0; r < rs->nrows && !bad;) {
        size_t e = r;
        while (e < rs->nrows && rs->chunk[e] == rs->chunk[r]) {
            e++;
        }
        for (size_t c = 0; c < pj->n && !bad; c++) {
            eddy_sql_value *col = malloc((e - r) * sizeof *col);
            for (size_t k = r; k < e; k++) {
                col[k - r] = want[k * pj->n + c];
            }
            eddy_sql_vtype t = expected_type(col, e - r);
            free(col);
            if (rs->vt[r * rs->ncols + c] != t) {
                printf("    chunk at row %zu column %s: type %d, expected %d\n", r, pj->store[c],
                       (int)rs->vt[r * rs->ncols + c], (int)t);
                bad = 1;
            }
        }
        r = e;
    }
    for (size_t r = 0; r < rs->nrows; r++) {
        jp_free(trees[r]);
    }
    free(trees);
    free(want);
    return bad;
}

static const char *const all_paths[] = {
    "deviceId",   "temperature", "n",          "s",         "nested", "nested.x",
    "nested.x.y", "nested.y",    "nested.x.z", "arr",       "flag",   "dup",
    "esc",        "x",           "missing",    "missing.a", "s.deep", "xy",
};

static void oracle_run(size_t nlines, bool final_newline, bool crlf)
{
    gen g = {0};
    for (size_t i = 0; i < nlines; i++) {
        if (pick(20) == 0) {
            put(&g, pick(2) ? "" : "  \t");
        } else {
            line(&g);
        }
        if (i + 1 < nlines || final_newline) {
            put(&g, crlf ? "\r\n" : "\n");
        }
    }
    const char *path = write_file("oracle.jsonl", g.p, g.n);
    static const size_t parts[] = {0, 1, 7, 64, 333, 4096};
    size_t first = nlines > 100 ? 3 : 0; /* byte-sized parts only for small files */
    static const size_t reads[] = {16, 100, 4096, 0};
    for (size_t pi = first; pi < sizeof parts / sizeof *parts; pi++) {
        for (size_t ri = 0; ri < sizeof reads / sizeof *reads; ri++) {
            eddy_sql_src *s;
            char err[512];
            EXPECT_EQ_INT(open_json(path, &s, err, sizeof err), 0);
            proj pj;
            size_t np = 1 + pick(sizeof all_paths / sizeof *all_paths);
            const char *paths[32];
            for (size_t k = 0; k < np; k++) {
                paths[k] = all_paths[(pi + ri + k) % (sizeof all_paths / sizeof *all_paths)];
            }
            proj_set(&pj, paths, np);
            EXPECT_EQ_INT(eddy_sql_src_project(s, pj.cols, pj.n, err, sizeof err), 0);
            size_t n = parts[pi] ? eddy_sql_src_split_bytes(s, parts[pi], reads[ri])
                                 : eddy_sql_src_split(s, 2);
            rowset rs;
            int rc = read_all(s, n, &rs, err, sizeof err);
            if (rc) {
                printf("    read: %s\n", err);
            }
            EXPECT_EQ_INT(rc, 0);
            int bad = check_against_oracle(g.p, g.n, &pj, &rs);
            if (bad) {
                printf("    part bytes %zu, read size %zu, %zu parts\n", parts[pi], reads[ri], n);
            }
            rowset_free(&rs);
            eddy_sql_src_close(s);
            EXPECT_EQ_INT(bad, 0);
        }
    }
    free(g.p);
}

TEST(json_oracle_lf)
{
    oracle_run(2000, true, false);
}

TEST(json_oracle_crlf_no_final_newline)
{
    oracle_run(500, false, true);
    oracle_run(60, true, false);
}

TEST(json_oracle_tiny_files)
{
    for (int i = 0; i < 30; i++) {
        oracle_run(1 + pick(4), pick(2), pick(2));
    }
}

/* jscan_number against strtoll/strtod on random numbers of every shape. */
TEST(json_numbers_exact)
{
    char b[96];
    for (int k = 0; k < 200000; k++) {
        size_t n = 0;
        if (pick(2)) {
            b[n++] = '-';
        }
        size_t nint = 1 + pick(pick(4) ? 6 : 22);
        for (size_t i = 0; i < nint; i++) {
            b[n++] = (char)('0' + (i == 0 && nint > 1 ? 1 + pick(9) : pick(10)));
        }
        bool integer = true;
        if (pick(3)) {
            integer = false;
            b[n++] = '.';
            size_t nf = 1 + pick(pick(4) ? 4 : 25);
            for (size_t i = 0; i < nf; i++) {
                b[n++] = (char)('0' + pick(10));
            }
        }
        if (pick(5) == 0) {
            integer = false;
            b[n++] = pick(2) ? 'e' : 'E';
            if (pick(2)) {
                b[n++] = pick(2) ? '-' : '+';
            }
            n += (size_t)snprintf(b + n, sizeof b - n, "%d", (int)pick(pick(3) ? 30 : 400));
        }
        b[n] = '\0';
        bool is_int = false;
        int64_t iv = 0;
        double dv = 0;
        const char *e = jscan_number(b, b + n, &is_int, &iv, &dv);
        if (e != b + n) {
            TEST_FAIL_AT("%s: not consumed", b);
            return;
        }
        errno = 0;
        long long want_i = strtoll(b, NULL, 10);
        if (integer && errno == 0) {
            if (!is_int || iv != want_i) {
                TEST_FAIL_AT("%s: int %lld, got %d %lld", b, want_i, is_int, (long long)iv);
                return;
            }
            continue;
        }
        double want = strtod(b, NULL);
        if (is_int || memcmp(&want, &dv, sizeof dv) != 0) {
            TEST_FAIL_AT("%s: %.17g, got %d %.17g", b, want, is_int, dv);
            return;
        }
    }
}

/* ---- typing and paths ---------------------------------------------------- */

TEST(json_types_per_chunk)
{
    const char *path = write_str("types.jsonl", "{\"i\":1,\"d\":1,\"s\":\"a\",\"b\":true,\"m\":1,"
                                                "\"o\":{\"k\":[1,2]},\"a\":[1,{\"x\":2}]}\n"
                                                "{\"i\":2,\"d\":2.5,\"s\":null,\"b\":false,"
                                                "\"m\":\"two\",\"o\":{\"k\":3},\"a\":[]}\n"
                                                "{}\n");
    eddy_sql_src *s;
    char err[256];
    EXPECT_EQ_INT(open_json(path, &s, err, sizeof err), 0);
    proj pj;
    const char *paths[] = {"i", "d", "s", "b", "m", "o", "o.k", "a", "nope", "i"};
    proj_set(&pj, paths, 10);
    EXPECT_EQ_INT(eddy_sql_src_project(s, pj.cols, pj.n, err, sizeof err), 0);
    EXPECT_EQ_INT(eddy_sql_src_split(s, 1), 1);
    eddy_sql_src_reader *r;
    EXPECT_EQ_INT(eddy_sql_src_reader_open(s, 0, &r), 0);
    eddy_sql_chunk ch;
    EXPECT_EQ_INT(eddy_sql_src_read(r, &ch, err, sizeof err), 0);
    EXPECT_EQ_INT(ch.nrows, 3);
    EXPECT_EQ_INT(ch.ncols, 10);
    EXPECT_EQ_INT(ch.cols[0].type, EDDY_SQL_V_INT);
    EXPECT_EQ_INT(ch.cols[0].i[1], 2);
    EXPECT_EQ_INT(eddy_sql_vec_valid(&ch.cols[0], 2), 0);
    EXPECT_EQ_INT(ch.cols[1].type, EDDY_SQL_V_DOUBLE);
    EXPECT_TRUE(ch.cols[1].d[0] == 1.0 && ch.cols[1].d[1] == 2.5);
    EXPECT_EQ_INT(ch.cols[2].type, EDDY_SQL_V_STRING);
    EXPECT_EQ_INT(eddy_sql_vec_valid(&ch.cols[2], 1), 0);
    EXPECT_EQ_INT(ch.cols[3].type, EDDY_SQL_V_BOOL);
    EXPECT_EQ_INT(ch.cols[3].b[0], 1);
    EXPECT_EQ_INT(ch.cols[4].type, EDDY_SQL_V_ANY);
    EXPECT_EQ_INT(ch.cols[4].any[0].type, EDDY_SQL_V_INT);
    EXPECT_EQ_INT(ch.cols[4].any[1].type, EDDY_SQL_V_STRING);
    EXPECT_EQ_INT(ch.cols[4].any[2].type, EDDY_SQL_V_NULL);
    EXPECT_EQ_INT(ch.cols[5].type, EDDY_SQL_V_RECORD);
    EXPECT_EQ_MEM(ch.cols[5].s[0].p, ch.cols[5].s[0].len, "{\"k\":[1,2]}", 11);
    EXPECT_EQ_INT(ch.cols[6].type, EDDY_SQL_V_ANY);
    EXPECT_EQ_INT(ch.cols[6].any[0].type, EDDY_SQL_V_ARRAY);
    EXPECT_EQ_INT(ch.cols[6].any[1].type, EDDY_SQL_V_INT);
    EXPECT_EQ_INT(ch.cols[7].type, EDDY_SQL_V_ARRAY);
    EXPECT_EQ_MEM(ch.cols[7].s[1].p, ch.cols[7].s[1].len, "[]", 2);
    EXPECT_EQ_INT(ch.cols[8].type, EDDY_SQL_V_NULL);
    EXPECT_EQ_INT(ch.cols[9].type, EDDY_SQL_V_INT);
    EXPECT_EQ_INT(ch.cols[9].i[0], 1);
    EXPECT_EQ_INT(eddy_sql_src_read(r, &ch, err, sizeof err), 0);
    EXPECT_EQ_INT(ch.nrows, 0);
    eddy_sql_src_reader_close(r);
    eddy_sql_src_close(s);
}

TEST(json_columns_sample)
{
    const char *path = write_str("cols/a.jsonl", "{\"b\":1,\"a\":2}\n\n{\"c\":{\"z\":1},\"a\":3,"
                                                 "\"d\\u0065\":4}\nnot json\n{\"e\":5}\n");
    write_str("cols/b.jsonl", "{\"zzz\":1}\n");
    (void)path;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/cols", tmp_dir());
    eddy_sql_src *s;
    char err[256];
    EXPECT_EQ_INT(open_json(dir, &s, err, sizeof err), 0);
    const char *const *names;
    size_t n = eddy_sql_src_columns(s, &names);
    EXPECT_EQ_INT(n, 5);
    EXPECT_EQ_STR(names[0], "b");
    EXPECT_EQ_STR(names[1], "a");
    EXPECT_EQ_STR(names[2], "c");
    EXPECT_EQ_STR(names[3], "de");
    EXPECT_EQ_STR(names[4], "e");
    eddy_sql_src_close(s);
}

/* ---- errors ---------------------------------------------------------------- */

static void expect_error(const char *text, const char *want)
{
    const char *path = write_str("bad.jsonl", text);
    eddy_sql_src *s;
    char err[512];
    EXPECT_EQ_INT(open_json(path, &s, err, sizeof err), 0);
    proj pj;
    const char *paths[] = {"a", "b.c"};
    proj_set(&pj, paths, 2);
    EXPECT_EQ_INT(eddy_sql_src_project(s, pj.cols, pj.n, err, sizeof err), 0);
    size_t parts = eddy_sql_src_split_bytes(s, 10, 8);
    rowset rs;
    int rc = read_all(s, parts, &rs, err, sizeof err);
    rowset_free(&rs);
    eddy_sql_src_close(s);
    EXPECT_EQ_INT(rc, EDDY_ERR_PARSE);
    char full[600];
    snprintf(full, sizeof full, "%s:%s", path, want);
    EXPECT_EQ_STR(err, full);
}

TEST(json_errors)
{
    expect_error("{\"a\":1}\n{\"a\":}\n", "2: expected a value at byte 6");
    expect_error("{\"a\":1}\n\n{\"a\":1,\"b\":{\"c\":tru}}\n", "3: invalid literal at byte 17");
    expect_error("{\"a\" 1}", "1: expected ':' after a key at byte 6");
    expect_error("{\"a\":1}\n[1,2]\n", "2: expected a JSON object at byte 1");
    expect_error("{\"a\":1} x\n", "1: unexpected text after the object at byte 9");
    expect_error("{\"a\":\"abc\n", "1: unterminated string at byte 6");
    expect_error("{\"a\":1,}\n", "1: expected a key at byte 8");
    expect_error("{\"z\":[1,[2]\n", "1: unterminated array at byte 6");
    expect_error("{\"a\":01}\n", "1: expected ',' or '}' at byte 7");
    expect_error("{\"a\":-}\n", "1: invalid number at byte 6");
    expect_error("{\"a\":\"\\x\"}\n", "1: invalid escape at byte 7");
    expect_error("{\"a\":1\n", "1: expected ',' or '}' at byte 7");
}

/* ---- files ---------------------------------------------------------------- */

TEST(files_folder_glob_missing)
{
    write_str("tree/2.jsonl", "{\"f\":2}\n");
    write_str("tree/1.jsonl", "{\"f\":1}\n");
    write_str("tree/sub/3.json", "{\"f\":3}\n");
    write_str("tree/.hidden.jsonl", "{\"f\":99}\n");
    write_str("tree/.dot/4.jsonl", "{\"f\":99}\n");
    char pat[512];
    const char *const cases[][2] = {{"tree", "1,2,3,"},
                                    {"tree/*.jsonl", "1,2,"},
                                    {"tree/[12].jsonl", "1,2,"},
                                    {"tree/s?b", "3,"},
                                    {"tree/2.jsonl", "2,"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(pat, sizeof pat, "%s/%s", tmp_dir(), cases[i][0]);
        eddy_sql_src *s;
        char err[512];
        EXPECT_EQ_INT(open_json(pat, &s, err, sizeof err), 0);
        proj pj;
        const char *paths[] = {"f"};
        proj_set(&pj, paths, 1);
        EXPECT_EQ_INT(eddy_sql_src_project(s, pj.cols, 1, err, sizeof err), 0);
        rowset rs;
        EXPECT_EQ_INT(read_all(s, eddy_sql_src_split_bytes(s, 1, 0), &rs, err, sizeof err), 0);
        char got[64] = "";
        for (size_t r = 0; r < rs.nrows; r++) {
            snprintf(got + strlen(got), sizeof got - strlen(got), "%lld,",
                     (long long)cell(&rs, r, 0)->i);
        }
        rowset_free(&rs);
        eddy_sql_src_close(s);
        EXPECT_EQ_STR(got, cases[i][1]);
    }
    eddy_sql_src *s;
    char err[512];
    snprintf(pat, sizeof pat, "%s/tree/*.csv", tmp_dir());
    EXPECT_EQ_INT(open_json(pat, &s, err, sizeof err), EDDY_ERR_NOT_FOUND);
    char want[600];
    snprintf(want, sizeof want, "no file matches '%s'", pat);
    EXPECT_EQ_STR(err, want);
    snprintf(pat, sizeof pat, "%s/nothing.jsonl", tmp_dir());
    EXPECT_EQ_INT(open_json(pat, &s, err, sizeof err), EDDY_ERR_NOT_FOUND);
    snprintf(want, sizeof want, "no file matches '%s' (no such file or folder)", pat);
    EXPECT_EQ_STR(err, want);
}

/* Long lines (past the read size: the buffer grows), a byte order mark,
 * and every split of a small file. */
TEST(json_split_every_byte)
{
    gen g = {0};
    put(&g, "\xEF\xBB\xBF{\"a\":1}\n");
    put(&g, "{\"a\":2,\"pad\":\"");
    for (int i = 0; i < 300; i++) {
        put(&g, "0123456789");
    }
    put(&g, "\"}\n\n{\"a\":3}\n{\"a\":4}");
    const char *path = write_file("split.jsonl", g.p, g.n);
    for (size_t part = 1; part <= g.n + 1; part += (part < 40 ? 1 : 97)) {
        eddy_sql_src *s;
        char err[512];
        EXPECT_EQ_INT(open_json(path, &s, err, sizeof err), 0);
        proj pj;
        const char *paths[] = {"a"};
        proj_set(&pj, paths, 1);
        EXPECT_EQ_INT(eddy_sql_src_project(s, pj.cols, 1, err, sizeof err), 0);
        rowset rs;
        int rc = read_all(s, eddy_sql_src_split_bytes(s, part, 32), &rs, err, sizeof err);
        if (rc) {
            printf("    %s\n", err);
        }
        EXPECT_EQ_INT(rc, 0);
        EXPECT_EQ_INT(rs.nrows, 4);
        for (size_t r = 0; r < 4; r++) {
            EXPECT_EQ_INT(cell(&rs, r, 0)->i, (long long)r + 1);
        }
        rowset_free(&rs);
        eddy_sql_src_close(s);
    }
    free(g.p);
}

/* Many lines: chunks are full (2048 rows) and the counts add up. */
TEST(json_many_lines_and_no_projection)
{
    gen g = {0};
    char b[128];
    for (int i = 0; i < 10000; i++) {
        snprintf(b, sizeof b, "{\"seq\":%d,\"t\":%d.5}\n", i, i);
        put(&g, b);
    }
    const char *path = write_file("many.jsonl", g.p, g.n);
    eddy_sql_src *s;
    char err[512];
    EXPECT_EQ_INT(open_json(path, &s, err, sizeof err), 0);
    rowset rs;
    EXPECT_EQ_INT(read_all(s, eddy_sql_src_split(s, 4), &rs, err, sizeof err), 0);
    EXPECT_EQ_INT(rs.nrows, 10000);
    EXPECT_EQ_INT(rs.nchunks, 5);
    rowset_free(&rs);
    proj pj;
    const char *paths[] = {"t", "seq"};
    proj_set(&pj, paths, 2);
    EXPECT_EQ_INT(eddy_sql_src_project(s, pj.cols, 2, err, sizeof err), 0);
    EXPECT_EQ_INT(read_all(s, eddy_sql_src_split_bytes(s, 50000, 0), &rs, err, sizeof err), 0);
    EXPECT_EQ_INT(rs.nrows, 10000);
    double sum = 0;
    for (size_t r = 0; r < rs.nrows; r++) {
        EXPECT_EQ_INT(cell(&rs, r, 1)->i, (long long)r);
        sum += cell(&rs, r, 0)->d;
    }
    EXPECT_TRUE(sum == 10000.0 * 9999 / 2 + 5000);
    rowset_free(&rs);
    eddy_sql_src_close(s);
    free(g.p);
}

int main(void)
{
    RUN(json_numbers_exact);
    RUN(json_types_per_chunk);
    RUN(json_columns_sample);
    RUN(json_errors);
    RUN(files_folder_glob_missing);
    RUN(json_split_every_byte);
    RUN(json_many_lines_and_no_projection);
    RUN(json_oracle_lf);
    RUN(json_oracle_crlf_no_final_newline);
    RUN(json_oracle_tiny_files);
    tmp_cleanup();
    return test_summary();
}
