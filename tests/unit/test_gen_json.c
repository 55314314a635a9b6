/* gen/json.h: the validator agrees with jansson on valid and invalid texts,
 * the field finder finds (nested) members and nothing else, unescaping,
 * minifying, string escaping, UTF-8 validation and base64. */
#include <jansson.h>

#include "core/buf.h"
#include "core/error.h"
#include "gen/json.h"
#include "test.h"

static bool valid(const char *s)
{
    return eddy_json_valid(s, strlen(s), NULL);
}

/* jansson's verdict on one JSON text (any value at the top, NUL allowed in
 * strings, as RFC 8259 allows). */
static bool jansson_valid(const char *s, size_t n)
{
    json_error_t e;
    json_t *j = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (j) {
        json_decref(j);
    }
    return j != NULL;
}

static const char *const good[] = {
    "{}",
    "[]",
    " {\"a\" : [1, 2.5, -3e10, 0, -0.0, 1E+2, true, false, null]}\n",
    "\"plain\"",
    "42",
    "-0",
    "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00\"",
    "{\"nested\":{\"deep\":[{\"x\":[[[]]]}]}}",
    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
    "[\"\\u0000\"]",
    "{\"deviceId\":\"device-0042\",\"ts\":\"2026-11-24T20:00:00.123Z\",\"temperature\":21.37}",
};

static const char *const bad[] = {
    "",
    " ",
    "{",
    "}",
    "[1,]",
    "{\"a\":1,}",
    "{\"a\" 1}",
    "{a:1}",
    "01",
    "1.",
    ".5",
    "1e",
    "+1",
    "-",
    "tru",
    "nul",
    "\"unterminated",
    "\"bad escape \\x\"",
    "\"lone high \\ud83d\"",
    "\"lone low \\ude00\"",
    "\"short \\u12\"",
    "\"raw\ttab\"",
    "\"bad utf8 \xc3\x28\"",
    "\"overlong \xc0\xaf\"",
    "\"surrogate \xed\xa0\x80\"",
    "\"too big \xf4\x90\x80\x80\"",
    "{} {}",
    "[1] x",
    "NaN",
    "Infinity",
};

TEST(validator_agrees_with_jansson)
{
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (!valid(good[i]) || !jansson_valid(good[i], strlen(good[i]))) {
            TEST_FAIL_AT("should be valid: %s (eddy %d, jansson %d)", good[i], valid(good[i]),
                         jansson_valid(good[i], strlen(good[i])));
            return;
        }
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (valid(bad[i]) || jansson_valid(bad[i], strlen(bad[i]))) {
            TEST_FAIL_AT("should be invalid: %s (eddy %d, jansson %d)", bad[i], valid(bad[i]),
                         jansson_valid(bad[i], strlen(bad[i])));
            return;
        }
    }
}

TEST(validator_reports_type_and_bounds_depth)
{
    eddy_json_type t;
    EXPECT_TRUE(eddy_json_valid("{}", 2, &t));
    EXPECT_EQ_INT(t, EDDY_JSON_OBJECT);
    EXPECT_TRUE(eddy_json_valid(" [1] ", 5, &t));
    EXPECT_EQ_INT(t, EDDY_JSON_ARRAY);
    EXPECT_TRUE(eddy_json_valid("\"s\"", 3, &t));
    EXPECT_EQ_INT(t, EDDY_JSON_STRING);
    EXPECT_TRUE(!eddy_json_valid("x", 1, &t));
    EXPECT_EQ_INT(t, EDDY_JSON_NONE);
    /* Only the first n bytes count: "[1]" inside a longer buffer. */
    EXPECT_TRUE(eddy_json_valid("[1]garbage", 3, NULL));
    EXPECT_TRUE(!eddy_json_valid("[1]garbage", 2, NULL));
    /* Nesting: at the cap fine, beyond it refused, never a crash. */
    size_t n = EDDY_JSON_MAX_DEPTH * 2;
    char *deep = malloc(200000 * 2);
    memset(deep, '[', EDDY_JSON_MAX_DEPTH);
    memset(deep + EDDY_JSON_MAX_DEPTH, ']', EDDY_JSON_MAX_DEPTH);
    EXPECT_TRUE(eddy_json_valid(deep, n, NULL));
    memset(deep, '[', 200000);
    memset(deep + 200000, ']', 200000);
    bool too_deep = eddy_json_valid(deep, 400000, NULL);
    free(deep);
    EXPECT_TRUE(!too_deep);
}

TEST(find_top_level_and_nested_fields)
{
    const char *s = "{\"deviceId\":\"device-0042\",\"n\":12.5,\"ok\":true,\"z\":null,"
                    "\"bid\":{\"auction\":1007,\"channel\":\"Google\"},\"arr\":[1,{\"x\":2}],"
                    "\"esc\":\"a\\\"b\",\"deviceId2\":\"no\"}";
    size_t n = strlen(s);
    eddy_json_type t;
    const char *v;
    size_t vlen;
    EXPECT_EQ_INT(eddy_json_find(s, n, "deviceId", &t, &v, &vlen), 0);
    EXPECT_EQ_INT(t, EDDY_JSON_STRING);
    EXPECT_EQ_MEM(v, vlen, "device-0042", 11);
    EXPECT_EQ_INT(eddy_json_find(s, n, "n", &t, &v, &vlen), 0);
    EXPECT_EQ_INT(t, EDDY_JSON_NUMBER);
    EXPECT_EQ_MEM(v, vlen, "12.5", 4);
    EXPECT_EQ_INT(eddy_json_find(s, n, "ok", &t, &v, &vlen), 0);
    EXPECT_EQ_INT(t, EDDY_JSON_TRUE);
    EXPECT_EQ_INT(eddy_json_find(s, n, "z", &t, &v, &vlen), 0);
    EXPECT_EQ_INT(t, EDDY_JSON_NULL);
    EXPECT_EQ_INT(eddy_json_find(s, n, "bid.auction", &t, &v, &vlen), 0);
    EXPECT_EQ_MEM(v, vlen, "1007", 4);
    EXPECT_EQ_INT(eddy_json_find(s, n, "bid.channel", &t, &v, &vlen), 0);
    EXPECT_EQ_MEM(v, vlen, "Google", 6);
    EXPECT_EQ_INT(eddy_json_find(s, n, "arr", &t, &v, &vlen), 0);
    EXPECT_EQ_INT(t, EDDY_JSON_ARRAY);
    EXPECT_EQ_MEM(v, vlen, "[1,{\"x\":2}]", 11);
    EXPECT_EQ_INT(eddy_json_find(s, n, "esc", &t, &v, &vlen), 0);
    EXPECT_EQ_MEM(v, vlen, "a\\\"b", 4);
    EXPECT_EQ_INT(eddy_json_find(s, n, "device", &t, &v, &vlen), EDDY_ERR_NOT_FOUND);
    EXPECT_EQ_INT(eddy_json_find(s, n, "missing", &t, &v, &vlen), EDDY_ERR_NOT_FOUND);
    EXPECT_EQ_INT(eddy_json_find(s, n, "n.x", &t, &v, &vlen), EDDY_ERR_NOT_FOUND);
    EXPECT_EQ_INT(eddy_json_find(s, n, "bid.nope", &t, &v, &vlen), EDDY_ERR_NOT_FOUND);
    /* Not an object, or broken before the field. */
    EXPECT_EQ_INT(eddy_json_find("[1]", 3, "a", &t, &v, &vlen), EDDY_ERR_NOT_FOUND);
    EXPECT_EQ_INT(eddy_json_find("plain text", 10, "a", &t, &v, &vlen), EDDY_ERR_NOT_FOUND);
    EXPECT_EQ_INT(eddy_json_find("{\"b\":tru", 8, "a", &t, &v, &vlen), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(eddy_json_find("", 0, "a", &t, &v, &vlen), EDDY_ERR_PARSE);
    /* An escaped member name still matches. */
    EXPECT_EQ_INT(eddy_json_find("{\"k\\u0065y\":7}", 14, "key", &t, &v, &vlen), 0);
    EXPECT_EQ_MEM(v, vlen, "7", 1);
}

TEST(unescape_decodes_every_escape)
{
    char out[64];
    const char *in = "a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\\ud83d\\ude00z";
    long n = eddy_json_unescape(in, strlen(in), out);
    const char want[] = "a\"\\/\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";
    EXPECT_EQ_MEM(out, (size_t)n, want, sizeof want - 1);
    EXPECT_EQ_INT(eddy_json_unescape("\\x", 2, out), -1);
    EXPECT_EQ_INT(eddy_json_unescape("\\", 1, out), -1);
    EXPECT_EQ_INT(eddy_json_unescape("\\ud83d", 6, out), -1);
    EXPECT_EQ_INT(eddy_json_unescape("\\u12", 4, out), -1);
}

TEST(minify_keeps_strings)
{
    const char *in = " { \"a b\" : [ 1 , \"x \\\" y\" ] ,\n\t\"c\" : {} } ";
    char out[128];
    size_t n = eddy_json_minify(in, strlen(in), out);
    const char *want = "{\"a b\":[1,\"x \\\" y\"],\"c\":{}}";
    EXPECT_EQ_MEM(out, n, want, strlen(want));
    EXPECT_TRUE(eddy_json_valid(out, n, NULL));
}

TEST(put_string_escapes_and_round_trips)
{
    eddy_buf b;
    eddy_buf_init(&b, 0);
    const char raw[] = "q\"b\\n\nt\tc\x01\x1f caf\xc3\xa9";
    EXPECT_EQ_INT(eddy_json_put_string(&b, raw, sizeof raw - 1), 0);
    json_error_t e;
    json_t *j = json_loadb((const char *)b.data, b.len, JSON_DECODE_ANY, &e);
    EXPECT_TRUE(j != NULL);
    EXPECT_TRUE(json_is_string(j));
    EXPECT_EQ_MEM(json_string_value(j), json_string_length(j), raw, sizeof raw - 1);
    json_decref(j);
    eddy_buf_deinit(&b);
}

TEST(utf8_validation)
{
    EXPECT_TRUE(eddy_utf8_valid("", 0));
    EXPECT_TRUE(eddy_utf8_valid("plain ascii text, long enough for the fast path", 47));
    EXPECT_TRUE(eddy_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14));
    EXPECT_TRUE(!eddy_utf8_valid("\xff", 1));
    EXPECT_TRUE(!eddy_utf8_valid("abc\xc3", 4));          /* truncated */
    EXPECT_TRUE(!eddy_utf8_valid("\xc0\xaf", 2));         /* overlong */
    EXPECT_TRUE(!eddy_utf8_valid("\xe0\x80\xaf", 3));     /* overlong */
    EXPECT_TRUE(!eddy_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    EXPECT_TRUE(!eddy_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    EXPECT_TRUE(!eddy_utf8_valid("12345678\x80", 9));     /* after the fast path */
}

TEST(base64_matches_rfc4648_vectors)
{
    static const char *const vec[][2] = {{"", ""},
                                         {"f", "Zg=="},
                                         {"fo", "Zm8="},
                                         {"foo", "Zm9v"},
                                         {"foob", "Zm9vYg=="},
                                         {"fooba", "Zm9vYmE="},
                                         {"foobar", "Zm9vYmFy"}};
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        eddy_buf b;
        eddy_buf_init(&b, 0);
        eddy_buf_append(&b, "", 0);
        EXPECT_EQ_INT(eddy_base64_put(&b, vec[i][0], strlen(vec[i][0])), 0);
        EXPECT_EQ_MEM(b.data, b.len, vec[i][1], strlen(vec[i][1]));
        eddy_buf_deinit(&b);
    }
}

int main(void)
{
    RUN(validator_agrees_with_jansson);
    RUN(validator_reports_type_and_bounds_depth);
    RUN(find_top_level_and_nested_fields);
    RUN(unescape_decodes_every_escape);
    RUN(minify_keeps_strings);
    RUN(put_string_escapes_and_round_trips);
    RUN(utf8_validation);
    RUN(base64_matches_rfc4648_vectors);
    return test_summary();
}
