/* The Avro and lake sources (src/sql/src_avro.c): files written here with
 * eddy's Avro writer. Avro: every type's column form, nested paths through
 * records, unions and maps, tiny blocks (a chunk goes on across blocks and
 * files with its text copied), parts of whole files, damaged files. Lake:
 * an Event Hubs Capture tree with two partitions, the fixed columns, Body
 * paths, null and malformed Bodies, files that are not EventData. */
#include <fcntl.h>

#include "avro/avro.h"
#include "avro/eventdata.h"
#include "sql_src_util.h"
#include "test.h"

static const char *const schema =
    "{\"type\":\"record\",\"name\":\"T\",\"fields\":["
    "{\"name\":\"id\",\"type\":\"long\"},"
    "{\"name\":\"name\",\"type\":\"string\"},"
    "{\"name\":\"score\",\"type\":\"double\"},"
    "{\"name\":\"f\",\"type\":\"float\"},"
    "{\"name\":\"ok\",\"type\":\"boolean\"},"
    "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
    "{\"name\":\"attrs\",\"type\":{\"type\":\"map\",\"values\":\"long\"}},"
    "{\"name\":\"nested\",\"type\":{\"type\":\"record\",\"name\":\"N\",\"fields\":["
    "{\"name\":\"a\",\"type\":\"int\"},"
    "{\"name\":\"b\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"B\",\"fields\":["
    "{\"name\":\"c\",\"type\":\"string\"}]}]}]}},"
    "{\"name\":\"u\",\"type\":[\"null\",\"long\",\"string\"]},"
    "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"RED\",\"GREEN\"]}},"
    "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
    "{\"name\":\"tsu\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
    "{\"name\":\"raw\",\"type\":\"bytes\"},"
    "{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"F2\",\"size\":2}}]}";

static void put_str(eddy_buf *b, const char *s)
{
    eddy_avro_put_bytes(b, s, strlen(s));
}

static void put_float(eddy_buf *b, float v)
{
    uint8_t raw[4];
    memcpy(raw, &v, 4);
    eddy_buf_append(b, raw, 4);
}

/* Datum i of the test schema. */
static void datum(eddy_buf *b, int64_t i)
{
    char s[64];
    eddy_avro_put_long(b, i);
    snprintf(s, sizeof s, "name-%lld", (long long)i);
    put_str(b, s);
    eddy_avro_put_double(b, (double)i + 0.5);
    put_float(b, 1.25f);
    eddy_buf_put_u8(b, i % 2 ? 1 : 0);
    eddy_avro_put_long(b, 2); /* tags */
    put_str(b, "x");
    put_str(b, "y\"z");
    eddy_avro_put_long(b, 0);
    eddy_avro_put_long(b, 1); /* attrs */
    put_str(b, "k1");
    eddy_avro_put_long(b, i * 10);
    eddy_avro_put_long(b, 0);
    eddy_avro_put_long(b, i + 100); /* nested.a */
    if (i % 3 == 0) {
        eddy_avro_put_long(b, 0); /* nested.b null */
    } else {
        eddy_avro_put_long(b, 1);
        snprintf(s, sizeof s, "c%lld", (long long)i);
        put_str(b, s);
    }
    switch (i % 3) { /* u */
    case 0:
        eddy_avro_put_long(b, 0);
        break;
    case 1:
        eddy_avro_put_long(b, 1);
        eddy_avro_put_long(b, -i);
        break;
    default:
        eddy_avro_put_long(b, 2);
        put_str(b, "str");
        break;
    }
    eddy_avro_put_long(b, i % 2); /* e */
    eddy_avro_put_long(b, 1795550400123 + i);
    eddy_avro_put_long(b, 1795550400123456 + i);
    eddy_avro_put_bytes(b, "\x00\xff", 2);
    eddy_buf_append(b, "ab", 2);
}

static const char *write_avro(const char *name, const char *sch, int64_t first, int64_t n,
                              size_t block_bytes, eddy_avro_codec codec)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp_dir(), name);
    for (char *q = path + strlen(tmp_dir()) + 1; (q = strchr(q, '/')); q++) {
        *q = '\0';
        mkdir(path, 0755);
        *q = '/';
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    eddy_avro_writer_opts o = {.codec = codec, .block_bytes = block_bytes};
    eddy_avro_writer *w;
    if (fd < 0 || eddy_avro_writer_open(&w, fd, sch, &o) != 0) {
        printf("cannot write %s\n", path);
        exit(1);
    }
    for (int64_t i = first; i < first + n; i++) {
        datum(eddy_avro_writer_datum(w), i);
        eddy_avro_writer_end_datum(w);
    }
    eddy_avro_writer_close(w);
    close(fd);
    static char out[4][512];
    static int slot;
    char *p = out[slot++ % 4];
    snprintf(p, 512, "%s", path);
    return p;
}

static int open_src(eddy_sql_src_kind kind, const char *pattern, eddy_sql_src **s, char *err,
                    size_t errlen)
{
    eddy_sql_src_opts o = {.kind = kind, .pattern = pattern, .processed_us = 42};
    return eddy_sql_src_open(&o, s, err, errlen);
}

static int read_src(eddy_sql_src_kind kind, const char *pattern, const char *const *paths, size_t n,
                    uint64_t part, rowset *rs, char *err, size_t errlen)
{
    eddy_sql_src *s;
    int rc = open_src(kind, pattern, &s, err, errlen);
    if (rc) {
        return rc;
    }
    proj pj;
    proj_set(&pj, paths, n);
    rc = eddy_sql_src_project(s, pj.cols, pj.n, err, errlen);
    if (!rc) {
        size_t parts = part ? eddy_sql_src_split_bytes(s, part, 0) : eddy_sql_src_split(s, 1);
        rc = read_all(s, parts, rs, err, errlen);
    }
    eddy_sql_src_close(s);
    return rc;
}

static bool is_text(const eddy_sql_value *v, eddy_sql_vtype t, const char *want, size_t n)
{
    return v->type == t && v->s.len == n && memcmp(v->s.p, want, n) == 0;
}

#define TEXT(v, t, lit) is_text((v), (t), (lit), sizeof(lit) - 1)

static const char *const avro_paths[] = {
    "id",       "name",   "score",    "f",          "ok",        "tags", "attrs",
    "attrs.k1", "nested", "nested.a", "nested.b.c", "u",         "e",    "ts",
    "tsu",      "raw",    "fx",       "missing",    "nested.zz",
};

static void check_avro_row(const rowset *rs, size_t row, int64_t i)
{
    char s[64];
    EXPECT_EQ_INT(cell(rs, row, 0)->i, i);
    snprintf(s, sizeof s, "name-%lld", (long long)i);
    EXPECT_TRUE(is_text(cell(rs, row, 1), EDDY_SQL_V_STRING, s, strlen(s)));
    EXPECT_TRUE(cell(rs, row, 2)->d == (double)i + 0.5);
    EXPECT_TRUE(cell(rs, row, 3)->d == 1.25);
    EXPECT_EQ_INT(cell(rs, row, 4)->type, EDDY_SQL_V_BOOL);
    EXPECT_EQ_INT(cell(rs, row, 4)->b, i % 2);
    EXPECT_TRUE(TEXT(cell(rs, row, 5), EDDY_SQL_V_ARRAY, "[\"x\",\"y\\\"z\"]"));
    snprintf(s, sizeof s, "{\"k1\":%lld}", (long long)(i * 10));
    EXPECT_TRUE(is_text(cell(rs, row, 6), EDDY_SQL_V_RECORD, s, strlen(s)));
    EXPECT_EQ_INT(cell(rs, row, 7)->i, i * 10);
    if (i % 3 == 0) {
        snprintf(s, sizeof s, "{\"a\":%lld,\"b\":null}", (long long)(i + 100));
    } else {
        snprintf(s, sizeof s, "{\"a\":%lld,\"b\":{\"c\":\"c%lld\"}}", (long long)(i + 100),
                 (long long)i);
    }
    EXPECT_TRUE(is_text(cell(rs, row, 8), EDDY_SQL_V_RECORD, s, strlen(s)));
    EXPECT_EQ_INT(cell(rs, row, 9)->i, i + 100);
    if (i % 3 == 0) {
        EXPECT_EQ_INT(cell(rs, row, 10)->type, EDDY_SQL_V_NULL);
        EXPECT_EQ_INT(cell(rs, row, 11)->type, EDDY_SQL_V_NULL);
    } else {
        snprintf(s, sizeof s, "c%lld", (long long)i);
        EXPECT_TRUE(is_text(cell(rs, row, 10), EDDY_SQL_V_STRING, s, strlen(s)));
        if (i % 3 == 1) {
            EXPECT_EQ_INT(cell(rs, row, 11)->type, EDDY_SQL_V_INT);
            EXPECT_EQ_INT(cell(rs, row, 11)->i, -i);
        } else {
            EXPECT_TRUE(TEXT(cell(rs, row, 11), EDDY_SQL_V_STRING, "str"));
        }
    }
    if (i % 2) {
        EXPECT_TRUE(TEXT(cell(rs, row, 12), EDDY_SQL_V_STRING, "GREEN"));
    } else {
        EXPECT_TRUE(TEXT(cell(rs, row, 12), EDDY_SQL_V_STRING, "RED"));
    }
    EXPECT_EQ_INT(cell(rs, row, 13)->type, EDDY_SQL_V_TIME);
    EXPECT_EQ_INT(cell(rs, row, 13)->i, (1795550400123 + i) * 1000);
    EXPECT_EQ_INT(cell(rs, row, 14)->type, EDDY_SQL_V_TIME);
    EXPECT_EQ_INT(cell(rs, row, 14)->i, 1795550400123456 + i);
    EXPECT_TRUE(TEXT(cell(rs, row, 15), EDDY_SQL_V_STRING, "\x00\xff"));
    EXPECT_TRUE(TEXT(cell(rs, row, 16), EDDY_SQL_V_STRING, "ab"));
    EXPECT_EQ_INT(cell(rs, row, 17)->type, EDDY_SQL_V_NULL);
    EXPECT_EQ_INT(cell(rs, row, 18)->type, EDDY_SQL_V_NULL);
}

TEST(avro_types_and_paths)
{
    const char *path = write_avro("a/one.avro", schema, 0, 9, 0, EDDY_AVRO_CODEC_NULL);
    char err[512];
    rowset rs;
    size_t np = sizeof avro_paths / sizeof *avro_paths;
    int rc = read_src(EDDY_SQL_SRC_AVRO, path, avro_paths, np, 0, &rs, err, sizeof err);
    if (rc) {
        printf("    %s\n", err);
    }
    EXPECT_EQ_INT(rc, 0);
    EXPECT_EQ_INT(rs.nrows, 9);
    for (size_t r = 0; r < 9 && !test_failed_now; r++) {
        check_avro_row(&rs, r, (int64_t)r);
    }
    EXPECT_EQ_INT(rs.vt[11], EDDY_SQL_V_ANY); /* u: long and string */
    rowset_free(&rs);

    eddy_sql_src *s;
    EXPECT_EQ_INT(open_src(EDDY_SQL_SRC_AVRO, path, &s, err, sizeof err), 0);
    const char *const *names;
    EXPECT_EQ_INT(eddy_sql_src_columns(s, &names), 14);
    EXPECT_EQ_STR(names[0], "id");
    EXPECT_EQ_STR(names[7], "nested");
    EXPECT_EQ_STR(names[13], "fx");
    eddy_sql_src_close(s);
}

/* Tiny blocks and several files: chunks fill across blocks and files (their
 * text copied), every codec, parts of whole files. */
TEST(avro_blocks_files_parts)
{
    write_avro("many/1.avro", schema, 0, 1500, 100, EDDY_AVRO_CODEC_NULL);
    write_avro("many/2.avro", schema, 1500, 1500, 4096, EDDY_AVRO_CODEC_DEFLATE);
    write_avro("many/3.avro", schema, 3000, 2000, 1 << 20, EDDY_AVRO_CODEC_SNAPPY);
    write_avro("many/.4.avro", schema, 5000, 10, 0, EDDY_AVRO_CODEC_NULL);
    char dir[512], err[512];
    snprintf(dir, sizeof dir, "%s/many", tmp_dir());
    size_t np = sizeof avro_paths / sizeof *avro_paths;
    for (uint64_t part = 0; part <= 1; part++) {
        rowset rs;
        int rc = read_src(EDDY_SQL_SRC_AVRO, dir, avro_paths, np, part, &rs, err, sizeof err);
        if (rc) {
            printf("    %s\n", err);
        }
        EXPECT_EQ_INT(rc, 0);
        EXPECT_EQ_INT(rs.nrows, 5000);
        for (size_t r = 0; r < 5000 && !test_failed_now; r++) {
            check_avro_row(&rs, r, (int64_t)r);
        }
        rowset_free(&rs);
    }
}

TEST(avro_damaged)
{
    const char *path = write_avro("bad/cut.avro", schema, 0, 200, 512, EDDY_AVRO_CODEC_NULL);
    struct stat st;
    stat(path, &st);
    EXPECT_EQ_INT(truncate(path, st.st_size - 20), 0);
    char err[512];
    const char *paths[] = {"name"};
    rowset rs;
    EXPECT_EQ_INT(read_src(EDDY_SQL_SRC_AVRO, path, paths, 1, 0, &rs, err, sizeof err),
                  EDDY_ERR_PARSE);
    rowset_free(&rs);
    EXPECT_TRUE(strncmp(err, path, strlen(path)) == 0);
    EXPECT_TRUE(strstr(err, "block") && strstr(err, "truncated"));

    const char *junk = write_str("bad/junk.avro", "not avro at all");
    eddy_sql_src *s;
    EXPECT_EQ_INT(open_src(EDDY_SQL_SRC_AVRO, junk, &s, err, sizeof err), EDDY_ERR_PARSE);
    EXPECT_TRUE(strncmp(err, junk, strlen(junk)) == 0);
    const char *lng = write_avro("bad/long.avro", "\"long\"", 0, 0, 0, EDDY_AVRO_CODEC_NULL);
    EXPECT_EQ_INT(open_src(EDDY_SQL_SRC_AVRO, lng, &s, err, sizeof err), EDDY_ERR_PARSE);
    char want[600];
    snprintf(want, sizeof want, "%s: the schema's root is long, not a record", lng);
    EXPECT_EQ_STR(err, want);
}

/* ---- the lake ---------------------------------------------------------- */

static const char *write_lake_file(const char *name, int64_t first, int n, const char *body_fmt)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp_dir(), name);
    for (char *q = path + strlen(tmp_dir()) + 1; (q = strchr(q, '/')); q++) {
        *q = '\0';
        mkdir(path, 0755);
        *q = '/';
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    eddy_avro_writer_opts o = {.codec = EDDY_AVRO_CODEC_DEFLATE, .block_bytes = 700};
    eddy_avro_writer *w;
    if (fd < 0 || eddy_avro_writer_open(&w, fd, EDDY_AVRO_EVENTDATA_SCHEMA, &o) != 0) {
        printf("cannot write %s\n", path);
        exit(1);
    }
    for (int64_t i = first; i < first + n; i++) {
        char body[256];
        int len = snprintf(body, sizeof body, body_fmt, (long long)i, (double)i + 0.25,
                           (long long)(i % 7));
        eddy_avro_event ev = {
            .sequence_number = i,
            .enqueued_ms = 1795550400000 + i,
            .key = (const uint8_t *)"k",
            .key_len = 1,
            .body = (const uint8_t *)body,
            .body_len = i % 10 == 9 ? -1 : len,
        };
        eddy_avro_eventdata_encode(eddy_avro_writer_datum(w), &ev);
        eddy_avro_writer_end_datum(w);
    }
    eddy_avro_writer_close(w);
    close(fd);
    static char out[4][512];
    static int slot;
    char *p = out[slot++ % 4];
    snprintf(p, 512, "%s", path);
    return p;
}

static const char *const body_fmt =
    "{\"deviceId\":\"dev-%lld\",\"temperature\":%.2f,\"nested\":{\"x\":%lld},\"SequenceNumber\":"
    "\"shadowed\"}";

TEST(lake_columns_and_body)
{
    write_lake_file("lake/ns/hub/0/2026/11/24/20/00/00.avro", 0, 300, body_fmt);
    write_lake_file("lake/ns/hub/0/2026/11/24/20/05/00.avro", 300, 200, body_fmt);
    write_lake_file("lake/ns/hub/1/2026/11/24/20/00/00.avro", 0, 100, body_fmt);
    write_str("lake/ns/hub/1/2026/11/24/20/00/notes.txt", "not capture");
    write_str("lake/.eddy-tmp/x.avro", "partial");
    write_str("lake/ns/hub/1/2026/11/24/20/05/.00.avro", "partial");
    char dir[512], err[512];
    snprintf(dir, sizeof dir, "%s/lake", tmp_dir());
    eddy_sql_src *s;
    EXPECT_EQ_INT(open_src(EDDY_SQL_SRC_LAKE, dir, &s, err, sizeof err), 0);
    const char *const *names;
    EXPECT_EQ_INT(eddy_sql_src_columns(s, &names), 8);
    EXPECT_EQ_STR(names[0], "SequenceNumber");
    EXPECT_EQ_STR(names[4], "EventProcessedUtcTime");
    EXPECT_EQ_STR(names[5], "deviceId");
    EXPECT_EQ_STR(names[6], "temperature");
    EXPECT_EQ_STR(names[7], "nested");
    eddy_sql_src_close(s);

    const char *paths[] = {"SequenceNumber",
                           "Offset",
                           "EventEnqueuedUtcTime",
                           "PartitionId",
                           "EventProcessedUtcTime",
                           "deviceId",
                           "temperature",
                           "nested.x",
                           "nested",
                           "Offset.x",
                           "missing"};
    for (uint64_t part = 0; part <= 1; part++) {
        rowset rs;
        int rc = read_src(EDDY_SQL_SRC_LAKE, dir, paths, 11, part, &rs, err, sizeof err);
        if (rc) {
            printf("    %s\n", err);
        }
        EXPECT_EQ_INT(rc, 0);
        EXPECT_EQ_INT(rs.nrows, 600);
        for (size_t r = 0; r < 600; r++) {
            int64_t i = r < 500 ? (int64_t)r : (int64_t)r - 500;
            EXPECT_EQ_INT(cell(&rs, r, 0)->i, i);
            char s1[64];
            snprintf(s1, sizeof s1, "%lld", (long long)i);
            EXPECT_TRUE(is_text(cell(&rs, r, 1), EDDY_SQL_V_STRING, s1, strlen(s1)));
            EXPECT_EQ_INT(cell(&rs, r, 2)->type, EDDY_SQL_V_TIME);
            EXPECT_EQ_INT(cell(&rs, r, 2)->i, (1795550400000 + i) * 1000);
            EXPECT_EQ_INT(cell(&rs, r, 3)->i, r < 500 ? 0 : 1);
            EXPECT_EQ_INT(cell(&rs, r, 4)->type, EDDY_SQL_V_TIME);
            EXPECT_EQ_INT(cell(&rs, r, 4)->i, 42);
            if (i % 10 == 9) {
                EXPECT_EQ_INT(cell(&rs, r, 5)->type, EDDY_SQL_V_NULL);
                EXPECT_EQ_INT(cell(&rs, r, 6)->type, EDDY_SQL_V_NULL);
                continue;
            }
            snprintf(s1, sizeof s1, "dev-%lld", (long long)i);
            EXPECT_TRUE(is_text(cell(&rs, r, 5), EDDY_SQL_V_STRING, s1, strlen(s1)));
            EXPECT_TRUE(cell(&rs, r, 6)->d == (double)i + 0.25);
            EXPECT_EQ_INT(cell(&rs, r, 7)->i, i % 7);
            snprintf(s1, sizeof s1, "{\"x\":%lld}", (long long)(i % 7));
            EXPECT_TRUE(is_text(cell(&rs, r, 8), EDDY_SQL_V_RECORD, s1, strlen(s1)));
            EXPECT_EQ_INT(cell(&rs, r, 9)->type, EDDY_SQL_V_NULL);
            EXPECT_EQ_INT(cell(&rs, r, 10)->type, EDDY_SQL_V_NULL);
        }
        rowset_free(&rs);
    }
}

TEST(lake_errors)
{
    const char *bad = write_lake_file("badlake/ns/h/3/2026/11/24/20/00/00.avro", 0, 5,
                                      "{\"deviceId\":\"d%lld\",\"t\":%f,\"n\":%lld");
    char err[512];
    const char *paths[] = {"deviceId"};
    rowset rs;
    EXPECT_EQ_INT(read_src(EDDY_SQL_SRC_LAKE, bad, paths, 1, 0, &rs, err, sizeof err),
                  EDDY_ERR_PARSE);
    rowset_free(&rs);
    char want[700];
    snprintf(want, sizeof want,
             "%s: block 0 at byte 486: event 0 (SequenceNumber 0): Body: expected ',' or '}' at "
             "byte 36",
             bad);
    EXPECT_EQ_STR(err, want);
    /* Without Body paths the Body is not read. */
    const char *fixed[] = {"SequenceNumber"};
    EXPECT_EQ_INT(read_src(EDDY_SQL_SRC_LAKE, bad, fixed, 1, 0, &rs, err, sizeof err), 0);
    EXPECT_EQ_INT(rs.nrows, 5);
    rowset_free(&rs);

    const char *generic = write_avro("badlake/ns/h/4/2026/11/24/20/00/00.avro", schema, 0, 3, 0,
                                     EDDY_AVRO_CODEC_NULL);
    eddy_sql_src *s;
    EXPECT_EQ_INT(open_src(EDDY_SQL_SRC_LAKE, generic, &s, err, sizeof err), EDDY_ERR_PARSE);
    snprintf(want, sizeof want, "%s: not an Event Hubs Capture file (its schema is not EventData)",
             generic);
    EXPECT_EQ_STR(err, want);
    char pat[512];
    snprintf(pat, sizeof pat, "%s/badlake/ns/h/*", tmp_dir());
    EXPECT_EQ_INT(open_src(EDDY_SQL_SRC_LAKE, pat, &s, err, sizeof err), 0);
    EXPECT_EQ_INT(eddy_sql_src_project(s, NULL, 0, err, sizeof err), 0);
    EXPECT_EQ_INT(read_all(s, eddy_sql_src_split_bytes(s, 1, 0), &rs, err, sizeof err),
                  EDDY_ERR_PARSE);
    rowset_free(&rs);
    EXPECT_EQ_STR(err, want);
    eddy_sql_src_close(s);
}

/* A capture's quiet windows make files without events: the Body's keys
 * come from the first files that have some. */
TEST(lake_columns_after_empty_files)
{
    write_lake_file("quiet/ns/hub/0/2026/11/24/20/00/00.avro", 0, 0, body_fmt);
    write_lake_file("quiet/ns/hub/0/2026/11/24/20/00/02.avro", 0, 0, body_fmt);
    write_lake_file("quiet/ns/hub/0/2026/11/24/20/00/04.avro", 0, 20, body_fmt);
    char dir[512], err[512];
    snprintf(dir, sizeof dir, "%s/quiet", tmp_dir());
    eddy_sql_src *s;
    EXPECT_EQ_INT(open_src(EDDY_SQL_SRC_LAKE, dir, &s, err, sizeof err), 0);
    const char *const *names;
    EXPECT_EQ_INT(eddy_sql_src_columns(s, &names), 8);
    EXPECT_EQ_STR(names[5], "deviceId");
    eddy_sql_src_close(s);
}

int main(void)
{
    RUN(avro_types_and_paths);
    RUN(avro_blocks_files_parts);
    RUN(avro_damaged);
    RUN(lake_columns_and_body);
    RUN(lake_columns_after_empty_files);
    RUN(lake_errors);
    tmp_cleanup();
    return test_summary();
}
