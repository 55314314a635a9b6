/* Unit tests of the SQL executor's values and expressions on literal
 * chunks: typed and generic arithmetic, overflow and division by zero
 * (also: not on null rows, not on rows AND/CASE skip), comparisons,
 * Kleene logic, LIKE, IN, BETWEEN, CAST, the JSON path reader, datetimes,
 * number formatting and key encoding. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "sql/expr.h"
#include "sql/json.h"
#include "sql/value.h"
#include "test.h"

static eddy_arena A; /* nodes and vectors */

static eddy_sql_x *node(eddy_sql_xkind k, uint32_t nargs)
{
    eddy_sql_x *x = eddy_arena_calloc(&A, 1, sizeof *x);
    x->kind = k;
    x->type = EDDY_SQL_V_ANY;
    x->nargs = nargs;
    x->args = nargs ? eddy_arena_calloc(&A, nargs, sizeof *x->args) : NULL;
    return x;
}

static eddy_sql_x *col(uint32_t c)
{
    eddy_sql_x *x = node(EDDY_SQL_X_COL, 0);
    x->col = c;
    return x;
}

static eddy_sql_x *lit_i(int64_t i)
{
    eddy_sql_x *x = node(EDDY_SQL_X_CONST, 0);
    x->val.type = x->type = EDDY_SQL_V_INT;
    x->val.i = i;
    return x;
}

static eddy_sql_x *lit_s(const char *s)
{
    eddy_sql_x *x = node(EDDY_SQL_X_CONST, 0);
    x->val.type = x->type = EDDY_SQL_V_STRING;
    x->val.s.p = s;
    x->val.s.len = (uint32_t)strlen(s);
    return x;
}

static eddy_sql_x *lit_null(void)
{
    eddy_sql_x *x = node(EDDY_SQL_X_CONST, 0);
    x->type = EDDY_SQL_V_NULL;
    return x;
}

static eddy_sql_x *bin(eddy_sql_op op, eddy_sql_x *a, eddy_sql_x *b)
{
    eddy_sql_x *x = node(EDDY_SQL_X_BINARY, 2);
    x->op = op;
    x->args[0] = a;
    x->args[1] = b;
    return x;
}

/* Vectors: INT from a list with a null marker, etc. */
#define NUL INT64_MIN

static eddy_sql_vec ivec(const int64_t *v, uint32_t n)
{
    eddy_sql_vec out;
    eddy_sql_vec_alloc(&out, &A, EDDY_SQL_V_INT, n);
    for (uint32_t r = 0; r < n; r++) {
        out.i[r] = v[r] == NUL ? 0 : v[r];
        out.valid[r] = v[r] != NUL;
    }
    return out;
}

static eddy_sql_vec dvec(const double *v, uint32_t n)
{
    eddy_sql_vec out;
    eddy_sql_vec_alloc(&out, &A, EDDY_SQL_V_DOUBLE, n);
    for (uint32_t r = 0; r < n; r++) {
        out.d[r] = v[r];
    }
    return out;
}

static eddy_sql_vec svec(const char *const *v, uint32_t n)
{
    eddy_sql_vec out;
    eddy_sql_vec_alloc(&out, &A, EDDY_SQL_V_STRING, n);
    for (uint32_t r = 0; r < n; r++) {
        out.s[r].p = v[r] ? v[r] : "";
        out.s[r].len = v[r] ? (uint32_t)strlen(v[r]) : 0;
        out.valid[r] = v[r] != NULL;
    }
    return out;
}

static eddy_sql_chunk chunk(eddy_sql_vec *cols, uint32_t ncols)
{
    eddy_sql_chunk c = {.nrows = cols[0].n, .ncols = ncols, .cols = cols, .arena = &A};
    return c;
}

static eddy_sql_error err;
static eddy_sql_xctx X = {.arena = &A, .err = &err, .text = "", .textlen = 0};

/* Row r of v as JSON text (static buffer). */
static const char *show(const eddy_sql_vec *v, uint32_t r)
{
    static char out[256];
    eddy_buf b;
    eddy_buf_init(&b, 0);
    eddy_sql_value val = eddy_sql_vec_get(v, r);
    eddy_sql_value_json(&b, &val);
    snprintf(out, sizeof out, "%.*s", (int)b.len, (const char *)b.data);
    eddy_buf_deinit(&b);
    return out;
}

TEST(arith_int_nulls_and_constants)
{
    int64_t a[] = {1, NUL, 3, -4};
    eddy_sql_vec cols[1] = {ivec(a, 4)};
    eddy_sql_chunk c = chunk(cols, 1);
    eddy_sql_vec out;
    EXPECT_EQ_INT(eddy_sql_x_eval(bin(EDDY_SQL_OP_MUL, col(0), lit_i(10)), &X, &c, &out), 0);
    EXPECT_EQ_INT(out.type, EDDY_SQL_V_INT);
    EXPECT_EQ_STR(show(&out, 0), "10");
    EXPECT_EQ_STR(show(&out, 1), "null");
    EXPECT_EQ_STR(show(&out, 3), "-40");
    /* two constants: one row computed, a constant vector */
    EXPECT_EQ_INT(eddy_sql_x_eval(bin(EDDY_SQL_OP_ADD, lit_i(2), lit_i(3)), &X, &c, &out), 0);
    EXPECT_TRUE(out.constant);
    EXPECT_EQ_STR(show(&out, 3), "5");
}

TEST(arith_overflow_and_division)
{
    int64_t a[] = {INT64_MAX, 1};
    eddy_sql_vec cols[1] = {ivec(a, 2)};
    eddy_sql_chunk c = chunk(cols, 1);
    eddy_sql_vec out;
    EXPECT_EQ_INT(eddy_sql_x_eval(bin(EDDY_SQL_OP_ADD, col(0), lit_i(1)), &X, &c, &out),
                  EDDY_ERR_INVALID_ARG);
    EXPECT_TRUE(strstr(err.msg, "bigint overflow") != NULL);
    /* division by zero only where the row is not null */
    int64_t d[] = {NUL, 2};
    eddy_sql_vec cols2[1] = {ivec(d, 2)};
    eddy_sql_chunk c2 = chunk(cols2, 1);
    eddy_sql_x *zero_or_null = bin(EDDY_SQL_OP_SUB, col(0), col(0)); /* null, 0 */
    EXPECT_EQ_INT(eddy_sql_x_eval(bin(EDDY_SQL_OP_DIV, lit_i(1), zero_or_null), &X, &c2, &out),
                  EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_STR(err.msg, "division by zero");
    int64_t nz[] = {NUL, 4};
    eddy_sql_vec cols3[1] = {ivec(nz, 2)};
    eddy_sql_chunk c3 = chunk(cols3, 1);
    EXPECT_EQ_INT(eddy_sql_x_eval(bin(EDDY_SQL_OP_DIV, lit_i(1), col(0)), &X, &c3, &out), 0);
    EXPECT_EQ_INT(out.type, EDDY_SQL_V_DOUBLE);
    EXPECT_EQ_STR(show(&out, 0), "null");
    EXPECT_EQ_STR(show(&out, 1), "0.25");
}

TEST(arith_generic_any)
{
    eddy_sql_vec v;
    eddy_sql_vec_alloc(&v, &A, EDDY_SQL_V_ANY, 4);
    v.any[0] = (eddy_sql_value){.type = EDDY_SQL_V_INT, .i = 1};
    v.any[1] = (eddy_sql_value){.type = EDDY_SQL_V_STRING, .s = {"a", 1}};
    v.any[2] = (eddy_sql_value){.type = EDDY_SQL_V_DOUBLE, .d = 2.5};
    v.any[3] = (eddy_sql_value){.type = EDDY_SQL_V_NULL};
    v.valid[3] = 0;
    eddy_sql_chunk c = chunk(&v, 1);
    eddy_sql_vec out;
    EXPECT_EQ_INT(eddy_sql_x_eval(bin(EDDY_SQL_OP_ADD, col(0), lit_i(1)), &X, &c, &out), 0);
    EXPECT_EQ_STR(show(&out, 0), "2");
    EXPECT_EQ_STR(show(&out, 1), "null");
    EXPECT_EQ_STR(show(&out, 2), "3.5");
    EXPECT_EQ_STR(show(&out, 3), "null");
}

TEST(compare_mixed_and_strings)
{
    int64_t a[] = {9007199254740993LL, 2};
    double b[] = {9007199254740992.0, 2.0};
    eddy_sql_vec cols[2] = {ivec(a, 2), dvec(b, 2)};
    eddy_sql_chunk c = chunk(cols, 2);
    eddy_sql_vec out;
    EXPECT_EQ_INT(eddy_sql_x_eval(bin(EDDY_SQL_OP_GT, col(0), col(1)), &X, &c, &out), 0);
    EXPECT_EQ_STR(show(&out, 0), "true"); /* exact, not via double */
    EXPECT_EQ_STR(show(&out, 1), "false");
    const char *s[] = {"abc", "abd", NULL};
    eddy_sql_vec sc[1] = {svec(s, 3)};
    eddy_sql_chunk c2 = chunk(sc, 1);
    EXPECT_EQ_INT(eddy_sql_x_eval(bin(EDDY_SQL_OP_LT, col(0), lit_s("abd")), &X, &c2, &out), 0);
    EXPECT_EQ_STR(show(&out, 0), "true");
    EXPECT_EQ_STR(show(&out, 1), "false");
    EXPECT_EQ_STR(show(&out, 2), "null");
}

TEST(kleene_truth_table)
{
    /* rows: every pair of (true, false, null) */
    eddy_sql_vec a, b;
    eddy_sql_vec_alloc(&a, &A, EDDY_SQL_V_BOOL, 9);
    eddy_sql_vec_alloc(&b, &A, EDDY_SQL_V_BOOL, 9);
    for (uint32_t r = 0; r < 9; r++) {
        uint32_t x = r / 3, y = r % 3;
        a.b[r] = x == 0;
        a.valid[r] = x != 2;
        b.b[r] = y == 0;
        b.valid[r] = y != 2;
    }
    eddy_sql_vec cols[2] = {a, b};
    eddy_sql_chunk c = chunk(cols, 2);
    static const char *const and_[] = {"true",  "false", "null",  "false", "false",
                                       "false", "null",  "false", "null"};
    static const char *const or_[] = {"true", "true", "true", "true", "false",
                                      "null", "true", "null", "null"};
    eddy_sql_vec out;
    EXPECT_EQ_INT(eddy_sql_x_eval(bin(EDDY_SQL_OP_AND, col(0), col(1)), &X, &c, &out), 0);
    for (uint32_t r = 0; r < 9; r++) {
        EXPECT_EQ_STR(show(&out, r), and_[r]);
    }
    EXPECT_EQ_INT(eddy_sql_x_eval(bin(EDDY_SQL_OP_OR, col(0), col(1)), &X, &c, &out), 0);
    for (uint32_t r = 0; r < 9; r++) {
        EXPECT_EQ_STR(show(&out, r), or_[r]);
    }
    eddy_sql_x *not = node(EDDY_SQL_X_UNARY, 1);
    not ->op = EDDY_SQL_OP_NOT;
    not ->args[0] = col(0);
    EXPECT_EQ_INT(eddy_sql_x_eval(not, &X, &c, &out), 0);
    EXPECT_EQ_STR(show(&out, 0), "false");
    EXPECT_EQ_STR(show(&out, 3), "true");
    EXPECT_EQ_STR(show(&out, 6), "null");
}

TEST(lazy_and_case)
{
    int64_t k[] = {0, 2, 0, 4};
    eddy_sql_vec cols[1] = {ivec(k, 4)};
    eddy_sql_chunk c = chunk(cols, 1);
    eddy_sql_vec out;
    /* k <> 0 AND 8 / k > 3 */
    eddy_sql_x *p = bin(EDDY_SQL_OP_AND, bin(EDDY_SQL_OP_NE, col(0), lit_i(0)),
                        bin(EDDY_SQL_OP_GT, bin(EDDY_SQL_OP_DIV, lit_i(8), col(0)), lit_i(3)));
    uint32_t sel[4], n;
    EXPECT_EQ_INT(eddy_sql_x_select(p, &X, &c, sel, &n), 0);
    EXPECT_EQ_INT(n, 1);
    EXPECT_EQ_INT(sel[0], 1);
    /* CASE WHEN k = 0 THEN -1 ELSE 8 / k END */
    eddy_sql_x *cs = node(EDDY_SQL_X_CASE, 3);
    cs->has_else = true;
    cs->args[0] = bin(EDDY_SQL_OP_EQ, col(0), lit_i(0));
    cs->args[1] = lit_i(-1);
    cs->args[2] = bin(EDDY_SQL_OP_DIV, lit_i(8), col(0));
    EXPECT_EQ_INT(eddy_sql_x_eval(cs, &X, &c, &out), 0);
    EXPECT_EQ_STR(show(&out, 0), "-1");
    EXPECT_EQ_STR(show(&out, 1), "4.0");
    EXPECT_EQ_STR(show(&out, 3), "2.0");
}

static bool like(const char *pat, int esc, const char *s)
{
    char msg[128];
    eddy_sql_like *p = eddy_sql_like_compile(pat, strlen(pat), esc, &A, msg, sizeof msg);
    return p && eddy_sql_like_match(p, s, strlen(s));
}

TEST(like_patterns)
{
    EXPECT_TRUE(like("%", -1, ""));
    EXPECT_TRUE(like("a%c", -1, "abbbc"));
    EXPECT_TRUE(!like("a%c", -1, "abbbd"));
    EXPECT_TRUE(like("%a%a%a%", -1, "xaxaxax"));
    EXPECT_TRUE(!like("%a%a%a%", -1, "xaxax"));
    EXPECT_TRUE(like("_b_", -1, "abc"));
    EXPECT_TRUE(like("_", -1, "\xc3\xa9")); /* one UTF-8 character */
    EXPECT_TRUE(like("[a-c]x", -1, "bx"));
    EXPECT_TRUE(!like("[^a-c]x", -1, "bx"));
    EXPECT_TRUE(like("[]]", -1, "]"));
    EXPECT_TRUE(like("100!%", '!', "100%"));
    EXPECT_TRUE(!like("100!%", '!', "1000"));
    char msg[128];
    EXPECT_TRUE(eddy_sql_like_compile("[ab", 3, -1, &A, msg, sizeof msg) == NULL);
    EXPECT_TRUE(eddy_sql_like_compile("ab!", 3, '!', &A, msg, sizeof msg) == NULL);
}

TEST(in_between_null)
{
    int64_t a[] = {1, 2, NUL};
    eddy_sql_vec cols[1] = {ivec(a, 3)};
    eddy_sql_chunk c = chunk(cols, 1);
    eddy_sql_x *in = node(EDDY_SQL_X_IN, 3);
    in->args[0] = col(0);
    in->args[1] = lit_i(1);
    in->args[2] = lit_null();
    eddy_sql_vec out;
    EXPECT_EQ_INT(eddy_sql_x_eval(in, &X, &c, &out), 0);
    EXPECT_EQ_STR(show(&out, 0), "true");
    EXPECT_EQ_STR(show(&out, 1), "null");
    EXPECT_EQ_STR(show(&out, 2), "null");
    eddy_sql_x *bt = node(EDDY_SQL_X_BETWEEN, 3);
    bt->args[0] = col(0);
    bt->args[1] = lit_i(2);
    bt->args[2] = lit_i(5);
    bt->negated = true;
    EXPECT_EQ_INT(eddy_sql_x_eval(bt, &X, &c, &out), 0);
    EXPECT_EQ_STR(show(&out, 0), "true");
    EXPECT_EQ_STR(show(&out, 1), "false");
    EXPECT_EQ_STR(show(&out, 2), "null");
}

TEST(cast_values)
{
    eddy_sql_value v = {.type = EDDY_SQL_V_STRING, .s = {"2026-11-24 20:00:00.1234567", 27}}, r;
    EXPECT_EQ_INT(eddy_sql_cast_value(&v, EDDY_SQL_V_TIME, &A, &r), 0);
    char t[40];
    eddy_sql_time_format(r.i, t);
    EXPECT_EQ_STR(t, "2026-11-24T20:00:00.1234560Z");
    v.s = (eddy_sql_str){"no", 2};
    EXPECT_EQ_INT(eddy_sql_cast_value(&v, EDDY_SQL_V_TIME, &A, &r), 1);
    v.s = (eddy_sql_str){"FALSE", 5};
    EXPECT_EQ_INT(eddy_sql_cast_value(&v, EDDY_SQL_V_BOOL, &A, &r), 0);
    EXPECT_TRUE(!r.b);
    v.s = (eddy_sql_str){"9223372036854775808", 19};
    EXPECT_EQ_INT(eddy_sql_cast_value(&v, EDDY_SQL_V_INT, &A, &r), 1);
    v.s = (eddy_sql_str){"-9223372036854775808", 20};
    EXPECT_EQ_INT(eddy_sql_cast_value(&v, EDDY_SQL_V_INT, &A, &r), 0);
    EXPECT_TRUE(r.i == INT64_MIN);
    eddy_sql_value d = {.type = EDDY_SQL_V_DOUBLE, .d = 1e300};
    EXPECT_EQ_INT(eddy_sql_cast_value(&d, EDDY_SQL_V_INT, &A, &r), 1);
    v.s = (eddy_sql_str){"nan", 3};
    EXPECT_EQ_INT(eddy_sql_cast_value(&v, EDDY_SQL_V_DOUBLE, &A, &r), 1);
}

TEST(json_paths)
{
    const char *o =
        "{\"a\": 1, \"A\": 2, \"b\": {\"c\": [10, {\"d\": \"x\\\"y\"}]}, \"e\\u0041\": 3}";
    eddy_sql_str m;
    EXPECT_EQ_INT(eddy_sql_json_member(o, strlen(o), "A", 1, &m), 1);
    EXPECT_EQ_MEM(m.p, m.len, "2", 1);                                 /* the exact match wins */
    EXPECT_EQ_INT(eddy_sql_json_member(o, strlen(o), "B", 1, &m), 1);  /* then any case */
    EXPECT_EQ_INT(eddy_sql_json_member(o, strlen(o), "eA", 2, &m), 1); /* escaped key */
    EXPECT_EQ_MEM(m.p, m.len, "3", 1);
    EXPECT_EQ_INT(eddy_sql_json_member(o, strlen(o), "zz", 2, &m), 0);
    EXPECT_EQ_INT(eddy_sql_json_member(o, strlen(o), "b", 1, &m), 1);
    eddy_sql_str arr;
    EXPECT_EQ_INT(eddy_sql_json_member(m.p, m.len, "c", 1, &arr), 1);
    int64_t n;
    EXPECT_EQ_INT(eddy_sql_json_length(arr.p, arr.len, &n), 0);
    EXPECT_EQ_INT(n, 2);
    eddy_sql_str el;
    EXPECT_EQ_INT(eddy_sql_json_element(arr.p, arr.len, 1, &el), 1);
    EXPECT_EQ_INT(eddy_sql_json_element(arr.p, arr.len, 2, &el), 0);
    EXPECT_EQ_INT(eddy_sql_json_element(arr.p, arr.len, 1, &el), 1);
    eddy_sql_str d;
    EXPECT_EQ_INT(eddy_sql_json_member(el.p, el.len, "d", 1, &d), 1);
    eddy_sql_value v;
    EXPECT_EQ_INT(eddy_sql_json_value(d.p, d.len, &A, &v), 0);
    EXPECT_EQ_MEM(v.s.p, v.s.len, "x\"y", 3);
    /* malformed text is reported, never read past */
    const char *bad[] = {"{\"a\": [1, 2}", "{\"a\": \"x}", "[1,", "{\"a\" 1}", "[}", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        EXPECT_TRUE(eddy_sql_json_member(bad[i], strlen(bad[i]), "a", 1, &m) != 1);
        EXPECT_TRUE(eddy_sql_json_length(bad[i], strlen(bad[i]), &n) != 0 || bad[i][0] == '{' ||
                    bad[i][0] == 0);
    }
    EXPECT_EQ_INT(eddy_sql_json_value("12345678901234567890", 20, &A, &v), 0);
    EXPECT_EQ_INT(v.type, EDDY_SQL_V_DOUBLE); /* beyond int64 */
    EXPECT_EQ_INT(eddy_sql_json_value("\"\\ud83d\\ude00\"", 14, &A, &v), 0);
    EXPECT_EQ_MEM(v.s.p, v.s.len, "\xf0\x9f\x98\x80", 4);
}

TEST(datetimes)
{
    int64_t us;
    char t[40];
    EXPECT_TRUE(eddy_sql_time_parse("1970-01-01T00:00:00Z", 20, &us));
    EXPECT_EQ_INT(us, 0);
    EXPECT_TRUE(eddy_sql_time_parse("1969-12-31T23:59:59.5Z", 22, &us));
    EXPECT_EQ_INT(us, -500000);
    eddy_sql_time_format(us, t);
    EXPECT_EQ_STR(t, "1969-12-31T23:59:59.5000000Z");
    EXPECT_TRUE(eddy_sql_time_parse("2024-02-29T12:00:00-05:30", 25, &us));
    eddy_sql_time_format(us, t);
    EXPECT_EQ_STR(t, "2024-02-29T17:30:00.0000000Z");
    EXPECT_TRUE(!eddy_sql_time_parse("2023-02-29", 10, &us));
    EXPECT_TRUE(!eddy_sql_time_parse("2026-11-24T24:00:00Z", 20, &us));
    EXPECT_TRUE(!eddy_sql_time_parse("2026-11-24X", 11, &us));
    EXPECT_TRUE(eddy_sql_time_parse("0001-01-01", 10, &us));
    eddy_sql_time_format(us, t);
    EXPECT_EQ_STR(t, "0001-01-01T00:00:00.0000000Z");
}

TEST(double_format)
{
    char b[32];
    eddy_sql_double_format(0.1, b);
    EXPECT_EQ_STR(b, "0.1");
    eddy_sql_double_format(1.0 / 3, b);
    EXPECT_EQ_STR(b, "0.3333333333333333");
    eddy_sql_double_format(3, b);
    EXPECT_EQ_STR(b, "3.0");
    eddy_sql_double_format(1e300, b);
    EXPECT_EQ_STR(b, "1e+300");
    eddy_sql_double_format(-0.0, b);
    EXPECT_EQ_STR(b, "-0.0");
}

/* The fast shortest-digits path against printf/strtod on random doubles
 * (any bit pattern, short decimals, fractions, scaled integers). */
TEST(double_format_matches_reference)
{
    uint64_t st = 88172645463325252ULL;
    char a[48], b[48];
    for (long i = 0; i < 400000; i++) {
        st ^= st << 13;
        st ^= st >> 7;
        st ^= st << 17;
        double d;
        switch (i % 4) {
        case 0:
            memcpy(&d, &st, 8);
            break;
        case 1:
            d = (double)(st % 2000001) / 1000.0 - 1000;
            break;
        case 2:
            d = (double)(st % 1000003) / 1000003.0;
            break;
        default:
            d = ldexp((double)(st >> 11), (int)(st % 200) - 150);
            break;
        }
        if (!isfinite(d)) {
            continue;
        }
        eddy_sql_double_format(d, a);
        size_t n = eddy_sql_double_format_slow(d, b);
        b[n] = 0;
        if (!strchr(b, '.') && !strchr(b, 'e')) {
            strcat(b, ".0");
        }
        EXPECT_EQ_STR(a, b);
    }
}

TEST(keys_equal_values)
{
    eddy_buf x, y;
    eddy_buf_init(&x, 0);
    eddy_buf_init(&y, 0);
    eddy_sql_value i = {.type = EDDY_SQL_V_INT, .i = 1}, d = {.type = EDDY_SQL_V_DOUBLE, .d = 1.0};
    eddy_sql_key_put(&x, &i);
    eddy_sql_key_put(&y, &d);
    EXPECT_EQ_MEM(x.data, x.len, y.data, y.len);
    eddy_buf_reset(&x);
    eddy_buf_reset(&y);
    eddy_sql_value z = {.type = EDDY_SQL_V_DOUBLE, .d = 0.0},
                   nz = {.type = EDDY_SQL_V_DOUBLE, .d = -0.0};
    eddy_sql_key_put(&x, &z);
    eddy_sql_key_put(&y, &nz);
    EXPECT_EQ_MEM(x.data, x.len, y.data, y.len);
    eddy_buf_reset(&x);
    eddy_sql_value s = {.type = EDDY_SQL_V_STRING, .s = {"ab", 2}},
                   h = {.type = EDDY_SQL_V_DOUBLE, .d = 2.5};
    eddy_sql_key_put(&x, &s);
    eddy_sql_key_put(&x, &h);
    const uint8_t *p = x.data;
    eddy_sql_value a = eddy_sql_key_get(&p), b = eddy_sql_key_get(&p);
    EXPECT_EQ_MEM(a.s.p, a.s.len, "ab", 2);
    EXPECT_TRUE(b.type == EDDY_SQL_V_DOUBLE && b.d == 2.5);
    EXPECT_TRUE(p == x.data + x.len);
    eddy_buf_deinit(&x);
    eddy_buf_deinit(&y);
}

/* Integers as output writes them: the same digits as printf's %lld. */
TEST(int_format_matches_printf)
{
    static const int64_t edge[] = {
        0,   1,   9,    10,    99,        100,       101,           -1,      -9,
        -10, -99, -100, 12345, INT64_MAX, INT64_MIN, INT64_MIN + 1, 1000000, -1000000007};
    char a[32], b[32];
    uint64_t x = 88172645463325252ULL;
    for (size_t i = 0; i < 20000; i++) {
        int64_t v;
        if (i < sizeof edge / sizeof *edge) {
            v = edge[i];
        } else {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            v = (int64_t)(x >> (i % 60));
            v = i % 2 ? -v : v;
        }
        size_t n = eddy_sql_int_format(v, a);
        a[n] = 0;
        snprintf(b, sizeof b, "%lld", (long long)v);
        EXPECT_EQ_STR(a, b);
    }
}

int main(void)
{
    eddy_arena_init(&A, 0, 0);
    RUN(int_format_matches_printf);
    RUN(arith_int_nulls_and_constants);
    RUN(arith_overflow_and_division);
    RUN(arith_generic_any);
    RUN(compare_mixed_and_strings);
    RUN(kleene_truth_table);
    RUN(lazy_and_case);
    RUN(like_patterns);
    RUN(in_between_null);
    RUN(cast_values);
    RUN(json_paths);
    RUN(datetimes);
    RUN(double_format);
    RUN(double_format_matches_reference);
    RUN(keys_equal_values);
    eddy_arena_deinit(&A);
    return test_summary();
}
