/* avro: schema parsing (every type, names and namespaces, references and
 * recursion, the error messages for malformed schemas), and datum decoding
 * by schema: JSON output of every type, skipping, projection, collection
 * walks, and the decoder's guards (ranges, depth, zero-size budget). */
#include <math.h>

#include "avro/avro.h"
#include "core/error.h"
#include "test.h"

static eddy_avro_schema *parse_ok(const char *json)
{
    eddy_avro_schema *s = NULL;
    char err[256];
    if (eddy_avro_schema_parse(json, strlen(json), &s, err, sizeof err) != 0) {
        printf("    unexpected schema error: %s\n    for %s\n", err, json);
        return NULL;
    }
    return s;
}

/* Expects a parse error containing want. */
static int parse_bad(const char *json, const char *want)
{
    eddy_avro_schema *s = NULL;
    char err[256];
    int rc = eddy_avro_schema_parse(json, strlen(json), &s, err, sizeof err);
    if (rc != EDDY_ERR_PARSE || s) {
        printf("    accepted: %s\n", json);
        eddy_avro_schema_free(s);
        return -1;
    }
    if (!strstr(err, want)) {
        printf("    message [%s] lacks [%s]\n", err, want);
        return -1;
    }
    return 0;
}

TEST(test_schema_valid)
{
    const char *ok[] = {
        "\"null\"",
        "\"long\"",
        "{\"type\":\"string\"}",
        "[\"null\",\"string\"]",
        "{\"type\":\"array\",\"items\":\"int\"}",
        "{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":\"bytes\"}}",
        "{\"type\":\"fixed\",\"name\":\"md5\",\"size\":16}",
        "{\"type\":\"enum\",\"name\":\"Suit\",\"symbols\":[\"SPADES\",\"HEARTS\"]}",
        "{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}",
        "{\"type\":\"error\",\"name\":\"E\",\"fields\":[]}",
        /* Recursive list, by simple name in the namespace. */
        "{\"type\":\"record\",\"name\":\"Node\",\"namespace\":\"a.b\",\"fields\":[{\"name\":"
        "\"value\",\"type\":\"long\"},{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}",
        /* Same simple name in two namespaces, and full-name references. */
        "{\"type\":\"record\",\"name\":\"x.R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":"
        "\"record\",\"name\":\"y.R\",\"fields\":[]}},{\"name\":\"b\",\"type\":\"y.R\"},{\"name\":"
        "\"c\",\"type\":[\"x.R\",\"y.R\",\"null\"]}]}",
        /* A nested record inherits the namespace. */
        "{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":\"ns\",\"fields\":[{\"name\":\"in\","
        "\"type\":{\"type\":\"record\",\"name\":\"Inner\",\"fields\":[]}},{\"name\":\"again\","
        "\"type\":\"ns.Inner\"}]}",
        /* Defaults, docs, aliases, order are ignored. */
        "{\"type\":\"record\",\"name\":\"D\",\"doc\":\"x\",\"aliases\":[\"E\"],\"fields\":[{"
        "\"name\":\"a\",\"type\":\"int\",\"default\":3,\"order\":\"descending\"}]}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        eddy_avro_schema *s = parse_ok(ok[i]);
        EXPECT_TRUE(s != NULL);
        eddy_avro_schema_free(s);
    }
    eddy_avro_schema *s = parse_ok(ok[10]);
    const eddy_avro_node *root = eddy_avro_schema_root(s);
    EXPECT_EQ_STR(root->name, "a.b.Node");
    EXPECT_EQ_INT(root->count, 2);
    EXPECT_TRUE(root->items[1]->items[1] == root); /* the cycle */
    EXPECT_EQ_INT(root->min_size, 2);
    EXPECT_TRUE(eddy_avro_schema_find(s, "a.b.Node") == root);
    eddy_avro_schema_free(s);
    s = parse_ok(ok[8]);
    EXPECT_EQ_STR(eddy_avro_schema_root(s)->logical, "timestamp-millis");
    EXPECT_EQ_INT(eddy_avro_schema_root(s)->type, EDDY_AVRO_LONG);
    eddy_avro_schema_free(s);
    s = parse_ok(ok[12]);
    EXPECT_TRUE(eddy_avro_schema_find(s, "ns.Inner") != NULL);
    eddy_avro_schema_free(s);
}

TEST(test_schema_errors)
{
    EXPECT_EQ_INT(parse_bad("{", "schema is not JSON"), 0);
    EXPECT_EQ_INT(parse_bad("\"lung\"", "unknown type 'lung'"), 0);
    EXPECT_EQ_INT(parse_bad("42", "a schema must be a type name"), 0);
    EXPECT_EQ_INT(parse_bad("{\"type\":\"record\",\"fields\":[]}", "record has no \"name\""), 0);
    EXPECT_EQ_INT(parse_bad("{\"type\":\"record\",\"name\":\"R\"}", "needs a \"fields\" array"), 0);
    EXPECT_EQ_INT(
        parse_bad("{\"type\":\"record\",\"name\":\"1R\",\"fields\":[]}", "bad record name '1R'"),
        0);
    EXPECT_EQ_INT(parse_bad("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\","
                            "\"type\":\"int\"},{\"name\":\"a\",\"type\":\"int\"}]}",
                            "field 'a' appears twice"),
                  0);
    EXPECT_EQ_INT(parse_bad("{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"n\",\"fields\":[{"
                            "\"name\":\"f\",\"type\":\"Missing\"}]}",
                            "field 'f' of record 'n.R': unknown type 'Missing'"),
                  0);
    EXPECT_EQ_INT(parse_bad("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"f\"}]}",
                            "field 'f' of record 'R' has no type"),
                  0);
    EXPECT_EQ_INT(parse_bad("[\"int\",\"int\"]", "union holds 'int' twice"), 0);
    EXPECT_EQ_INT(parse_bad("[\"int\",[\"null\"]]", "a union may not hold a union"), 0);
    EXPECT_EQ_INT(parse_bad("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"A\"]}",
                            "symbol 'A' appears twice"),
                  0);
    EXPECT_EQ_INT(parse_bad("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"a-b\"]}",
                            "symbol 0 is not a valid name"),
                  0);
    EXPECT_EQ_INT(parse_bad("{\"type\":\"fixed\",\"name\":\"F\",\"size\":-1}", "needs a \"size\""),
                  0);
    EXPECT_EQ_INT(parse_bad("{\"type\":\"array\"}", "array needs \"items\""), 0);
    EXPECT_EQ_INT(parse_bad("{\"type\":\"map\",\"items\":\"int\"}", "map needs \"values\""), 0);
    EXPECT_EQ_INT(parse_bad("\"record\"", "must be written as an object"), 0);
    EXPECT_EQ_INT(parse_bad("{\"type\":{\"type\":\"int\"}}", "must be a string"), 0);
    EXPECT_EQ_INT(parse_bad("{\"type\":\"record\",\"name\":\"int\",\"fields\":[]}",
                            "named after the primitive type 'int'"),
                  0);
    EXPECT_EQ_INT(parse_bad("[{\"type\":\"fixed\",\"name\":\"F\",\"size\":1},{\"type\":\"fixed\","
                            "\"name\":\"F\",\"size\":2}]",
                            "type 'F' is defined twice"),
                  0);
    /* Deep nesting stops at the limit. */
    eddy_buf b;
    eddy_buf_init(&b, 0);
    for (int i = 0; i < 300; i++) {
        eddy_buf_append(&b, "{\"type\":\"array\",\"items\":", 24);
    }
    eddy_buf_append(&b, "\"int\"", 5);
    for (int i = 0; i < 300; i++) {
        eddy_buf_append(&b, "}", 1);
    }
    eddy_buf_put_u8(&b, 0);
    EXPECT_EQ_INT(parse_bad((const char *)b.data, "nested deeper than 256"), 0);
    eddy_buf_deinit(&b);
}

/* Decodes datum bytes of a schema to JSON and compares. */
static int json_of(const char *schema, const uint8_t *datum, size_t n, unsigned flags,
                   const char *want)
{
    eddy_avro_schema *s = parse_ok(schema);
    if (!s) {
        return -1;
    }
    eddy_reader r;
    eddy_reader_init(&r, datum, n);
    eddy_avro_decoder d;
    eddy_avro_decoder_init(&d);
    eddy_buf out;
    eddy_buf_init(&out, 0);
    int rc = eddy_avro_datum_to_json(&d, eddy_avro_schema_root(s), &r, &out, flags);
    eddy_buf_put_u8(&out, 0);
    int res = 0;
    if (want == NULL) {
        res = rc != 0 ? 0 : -1;
        if (res) {
            printf("    decoded, expected an error: %s\n", (const char *)out.data);
        }
    } else if (rc != 0 || strcmp((const char *)out.data, want) != 0 ||
               eddy_reader_remaining(&r) != 0) {
        printf("    rc %d (%s), got  %s\n    want %s\n", rc, d.what ? d.what : "",
               (const char *)out.data, want);
        res = -1;
    }
    eddy_buf_deinit(&out);
    eddy_avro_schema_free(s);
    return res;
}

static const char *everything =
    "{\"type\":\"record\",\"name\":\"All\",\"namespace\":\"t\",\"fields\":["
    "{\"name\":\"n\",\"type\":\"null\"},{\"name\":\"b\",\"type\":\"boolean\"},"
    "{\"name\":\"i\",\"type\":\"int\"},{\"name\":\"l\",\"type\":\"long\"},"
    "{\"name\":\"f\",\"type\":\"float\"},{\"name\":\"d\",\"type\":\"double\"},"
    "{\"name\":\"by\",\"type\":\"bytes\"},{\"name\":\"s\",\"type\":\"string\"},"
    "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"Color\",\"symbols\":[\"RED\","
    "\"GREEN\"]}},"
    "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"long\"}},"
    "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},"
    "{\"name\":\"u\",\"type\":[\"null\",\"Color\",\"double\"]},"
    "{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"F2\",\"size\":2}}]}";

TEST(test_json_every_type)
{
    eddy_buf b;
    eddy_buf_init(&b, 0);
    eddy_buf_put_u8(&b, 1);            /* b */
    eddy_avro_put_long(&b, -3);        /* i */
    eddy_avro_put_long(&b, 1LL << 40); /* l */
    float f = 1.5f;
    uint8_t fb[4];
    memcpy(fb, &f, 4);
    eddy_buf_append(&b, fb, 4);                    /* f (little-endian host) */
    eddy_avro_put_double(&b, 0.1);                 /* d */
    eddy_avro_put_bytes(&b, "\x00\xff\"a", 4);     /* by */
    eddy_avro_put_bytes(&b, "h\xc3\xa9\n\xff", 5); /* s: é, newline, a bad byte */
    eddy_avro_put_long(&b, 1);                     /* e GREEN */
    eddy_avro_put_long(&b, 2);                     /* a: block of 2 */
    eddy_avro_put_long(&b, 7);
    eddy_avro_put_long(&b, -8);
    eddy_avro_put_long(&b, -1); /* a: block of 1 with its byte size */
    eddy_avro_put_long(&b, 1);
    eddy_avro_put_long(&b, 9);
    eddy_avro_put_long(&b, 0);
    eddy_avro_put_long(&b, 1); /* m */
    eddy_avro_put_bytes(&b, "k", 1);
    eddy_avro_put_bytes(&b, "v", 1);
    eddy_avro_put_long(&b, 0);
    eddy_avro_put_long(&b, 1); /* u: Color */
    eddy_avro_put_long(&b, 0);
    eddy_buf_append(&b, "\x01\x02", 2); /* fx */
    EXPECT_EQ_INT(
        json_of(everything, b.data, b.len, 0,
                "{\"n\":null,\"b\":true,\"i\":-3,\"l\":1099511627776,\"f\":1.5,\"d\":0.1,"
                "\"by\":\"\\u0000\\u00ff\\\"a\",\"s\":\"h\xc3\xa9\\n\\u00ff\",\"e\":"
                "\"GREEN\",\"a\":[7,-8,9],\"m\":{\"k\":\"v\"},\"u\":{\"t.Color\":\"RED\"},"
                "\"fx\":\"\\u0001\\u0002\"}"),
        0);
    EXPECT_EQ_INT(json_of(everything, b.data, b.len, EDDY_AVRO_JSON_PLAIN_UNIONS,
                          "{\"n\":null,\"b\":true,\"i\":-3,\"l\":1099511627776,\"f\":1.5,\"d\":0.1,"
                          "\"by\":\"\\u0000\\u00ff\\\"a\",\"s\":\"h\xc3\xa9\\n\\u00ff\",\"e\":"
                          "\"GREEN\",\"a\":[7,-8,9],\"m\":{\"k\":\"v\"},\"u\":\"RED\","
                          "\"fx\":\"\\u0001\\u0002\"}"),
                  0);

    /* Projection and skipping agree on the span. */
    eddy_avro_schema *s = parse_ok(everything);
    const eddy_avro_node *root = eddy_avro_schema_root(s);
    eddy_reader r;
    eddy_reader_init(&r, b.data, b.len);
    eddy_avro_decoder d;
    eddy_avro_decoder_init(&d);
    EXPECT_EQ_INT(eddy_avro_skip(&d, root, &r), 0);
    EXPECT_EQ_UINT(r.pos, b.len);
    eddy_reader_init(&r, b.data, b.len);
    eddy_avro_value v[13];
    EXPECT_EQ_INT(eddy_avro_read_record(&d, root, &r, v, NULL), 0);
    EXPECT_EQ_INT(v[2].u.l, -3);
    EXPECT_TRUE(v[5].u.d == 0.1);
    EXPECT_EQ_MEM(v[7].u.bytes.p, v[7].u.bytes.n, "h\xc3\xa9\n\xff", 5);
    EXPECT_EQ_INT(v[8].u.l, 1);
    EXPECT_EQ_INT(v[11].branch, 1);
    EXPECT_EQ_INT(v[11].node->type, EDDY_AVRO_ENUM);
    /* The array's span, walked. */
    eddy_reader ar;
    eddy_reader_init(&ar, v[9].u.bytes.p, v[9].u.bytes.n);
    eddy_avro_coll c;
    eddy_avro_coll_begin(&c, &d, root->items[9], &ar);
    int64_t sum = 0;
    while (eddy_avro_coll_next(&c, NULL, NULL) == 1) {
        eddy_avro_value e;
        EXPECT_EQ_INT(eddy_avro_read_value(&d, root->items[9]->items[0], &ar, &e), 0);
        sum += e.u.l;
    }
    EXPECT_EQ_INT(d.err, 0);
    EXPECT_EQ_INT(sum, 8);
    eddy_avro_schema_free(s);
    eddy_buf_deinit(&b);

    /* Doubles: shortest round trip, and the non-finite strings. */
    eddy_buf_init(&b, 0);
    eddy_avro_put_double(&b, 1e300);
    EXPECT_EQ_INT(json_of("\"double\"", b.data, b.len, 0, "1e+300"), 0);
    eddy_buf_reset(&b);
    eddy_avro_put_double(&b, NAN);
    EXPECT_EQ_INT(json_of("\"double\"", b.data, b.len, 0, "\"NaN\""), 0);
    eddy_buf_reset(&b);
    eddy_avro_put_double(&b, -INFINITY);
    EXPECT_EQ_INT(json_of("\"double\"", b.data, b.len, 0, "\"-Infinity\""), 0);
    eddy_buf_reset(&b);
    eddy_avro_put_double(&b, 2.0 / 3);
    EXPECT_EQ_INT(json_of("\"double\"", b.data, b.len, 0, "0.6666666666666666"), 0);
    eddy_buf_deinit(&b);
}

TEST(test_decoder_guards)
{
    /* Out-of-range union, enum, boolean. */
    EXPECT_EQ_INT(json_of("[\"null\",\"int\"]", (const uint8_t *)"\x04", 1, 0, NULL), 0);
    EXPECT_EQ_INT(json_of("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}",
                          (const uint8_t *)"\x02", 1, 0, NULL),
                  0);
    EXPECT_EQ_INT(json_of("\"boolean\"", (const uint8_t *)"\x02", 1, 0, NULL), 0);
    /* Truncated values. */
    EXPECT_EQ_INT(json_of("\"long\"", (const uint8_t *)"\x80", 1, 0, NULL), 0);
    EXPECT_EQ_INT(json_of("\"string\"",
                          (const uint8_t *)"\x0a"
                                           "abc",
                          4, 0, NULL),
                  0);
    EXPECT_EQ_INT(json_of("\"double\"", (const uint8_t *)"1234567", 7, 0, NULL), 0);
    /* A count larger than the data can hold. */
    EXPECT_EQ_INT(json_of("{\"type\":\"array\",\"items\":\"long\"}",
                          (const uint8_t *)"\xfe\xff\xff\xff\x0f", 5, 0, NULL),
                  0);
    /* INT64_MIN count. */
    EXPECT_EQ_INT(json_of("{\"type\":\"array\",\"items\":\"long\"}",
                          (const uint8_t *)"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10, 0, NULL),
                  0);
    /* An array of nulls: a million costs nothing to encode, so a budget
     * stops it; a few are fine. */
    EXPECT_EQ_INT(json_of("{\"type\":\"array\",\"items\":\"null\"}", (const uint8_t *)"\x06\x00", 2,
                          0, "[null,null,null]"),
                  0);
    EXPECT_EQ_INT(json_of("{\"type\":\"array\",\"items\":\"null\"}",
                          (const uint8_t *)"\xfe\xff\xff\xff\x0f\x00", 6, 0, NULL),
                  0);
    /* A recursive type nests only so deep. */
    const char *list = "{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":\"n\",\"type\":["
                       "\"null\",\"L\"]}]}";
    uint8_t deep[600];
    memset(deep, 2, sizeof deep);
    deep[sizeof deep - 1] = 0;
    /* Ten levels deep, the data ends before the last one does. */
    EXPECT_EQ_INT(json_of(list, deep, 10, 0, NULL), 0);
    deep[9] = 0;
    EXPECT_EQ_INT(json_of(list, deep, 10, EDDY_AVRO_JSON_PLAIN_UNIONS,
                          "{\"n\":{\"n\":{\"n\":{\"n\":{\"n\":{\"n\":{\"n\":{\"n\":{\"n\":{\"n\":"
                          "null}}}}}}}}}}"),
                  0);
    deep[9] = 2;
    EXPECT_EQ_INT(json_of(list, deep, sizeof deep, 0, NULL), 0);
    /* A record that contains itself without a union takes no bytes per
     * level: the depth limit stops it. */
    EXPECT_EQ_INT(json_of("{\"type\":\"record\",\"name\":\"S\",\"fields\":[{\"name\":\"s\","
                          "\"type\":\"S\"}]}",
                          (const uint8_t *)"", 0, 0, NULL),
                  0);
}

int main(void)
{
    RUN(test_schema_valid);
    RUN(test_schema_errors);
    RUN(test_json_every_type);
    RUN(test_decoder_guards);
    return test_summary();
}
