/* avro: container files written by eddy's writer and read back by eddy's
 * reader (each codec, from memory and from an fd with tiny reads), the
 * EventData encoder against the fast decoder and the generic one, the
 * empty file, the writer's block splitting, byte counts and sticky
 * failure, and damaged files: truncated at every byte, flipped bytes, a
 * bad sync marker, a bad CRC, limits. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "avro/avro.h"
#include "avro/eventdata.h"
#include "core/error.h"
#include "test.h"
#include "test_avro_util.h"

#define T0 1795550400123LL /* 2026-11-24T20:00:00.123Z */

static const eddy_avro_codec codecs[] = {EDDY_AVRO_CODEC_NULL, EDDY_AVRO_CODEC_DEFLATE,
                                         EDDY_AVRO_CODEC_SNAPPY};

TEST(test_primitives)
{
    eddy_buf b;
    eddy_buf_init(&b, 0);
    eddy_avro_put_long(&b, 0);
    eddy_avro_put_long(&b, -1);
    eddy_avro_put_long(&b, 1);
    eddy_avro_put_long(&b, -64);
    eddy_avro_put_long(&b, 64);
    eddy_avro_put_long(&b, INT64_MIN);
    static const uint8_t want[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0x01, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    EXPECT_EQ_MEM(b.data, b.len, want, sizeof want);
    eddy_buf_reset(&b);
    eddy_avro_put_bytes(&b, "foo", 3);
    eddy_avro_put_double(&b, 1.0);
    static const uint8_t want2[] = {0x06, 'f', 'o', 'o', 0, 0, 0, 0, 0, 0, 0xf0, 0x3f};
    EXPECT_EQ_MEM(b.data, b.len, want2, sizeof want2);
    eddy_buf_deinit(&b);

    eddy_avro_codec c;
    EXPECT_EQ_INT(eddy_avro_codec_parse("deflate", &c), 0);
    EXPECT_EQ_INT(c, EDDY_AVRO_CODEC_DEFLATE);
    EXPECT_EQ_INT(eddy_avro_codec_parse("zstandard", &c), EDDY_ERR_UNSUPPORTED);
    EXPECT_EQ_STR(eddy_avro_codec_name(EDDY_AVRO_CODEC_SNAPPY), "snappy");
}

/* Checks a decoded datum against test event i. */
static int check_event(const eddy_avro_eventdata *got, int64_t base, int i)
{
    test_event t;
    test_event_make(&t, base, T0, i);
    const eddy_avro_event *ev = &t.ev;
    char when[EDDY_AVRO_TIME_LEN], off[24];
    eddy_avro_format_time(ev->enqueued_ms, when);
    int ol = snprintf(off, sizeof off, "%lld", (long long)ev->sequence_number);
    if (got->sequence_number != ev->sequence_number || got->offset_len != (size_t)ol ||
        memcmp(got->offset, off, (size_t)ol) || got->enqueued_len != EDDY_AVRO_TIME_LEN ||
        memcmp(got->enqueued, when, EDDY_AVRO_TIME_LEN) || got->enqueued_ms != ev->enqueued_ms ||
        got->key_len != ev->key_len ||
        (ev->key_len > 0 && memcmp(got->key, ev->key, (size_t)ev->key_len)) ||
        got->body_len != ev->body_len ||
        (ev->body_len > 0 && memcmp(got->body, ev->body, (size_t)ev->body_len)) ||
        got->nsys != (ev->key_len >= 0 ? 4 : 3) || got->nprops != (int64_t)ev->nprops) {
        printf("    event %d differs\n", i);
        return -1;
    }
    eddy_avro_props_iter it;
    eddy_avro_props_iter_init(&it, got->props, got->props_len);
    eddy_avro_prop p;
    size_t k = 0;
    while (eddy_avro_props_next(&it, &p) == 1) {
        const eddy_avro_kv *kv = &ev->props[k];
        bool bad_key = kv->key_len == 2 && kv->key[1] == (uint8_t)0xc3;
        size_t vl = kv->value_len > 0 ? (size_t)kv->value_len : 0;
        if (p.branch != EDDY_AVRO_PROP_BYTES || p.n != vl || (vl && memcmp(p.p, kv->value, vl)) ||
            (bad_key ? (p.key_len != 4 || memcmp(p.key, "b\xef\xbf\xbd", 4))
                     : (p.key_len != kv->key_len || memcmp(p.key, kv->key, p.key_len)))) {
            printf("    event %d header %zu differs\n", i, k);
            return -1;
        }
        k++;
    }
    if (k != ev->nprops || it.d.err) {
        return -1;
    }
    /* System properties: the four names and types. */
    eddy_avro_props_iter_init(&it, got->sys, got->sys_len);
    int seen = 0;
    while (eddy_avro_props_next(&it, &p) == 1) {
        if (p.key_len == 21 && !memcmp(p.key, "x-opt-sequence-number", 21)) {
            seen |= p.branch == EDDY_AVRO_PROP_LONG && p.l == ev->sequence_number ? 1 : 0;
        } else if (p.key_len == 12 && !memcmp(p.key, "x-opt-offset", 12)) {
            seen |= p.branch == EDDY_AVRO_PROP_STRING && p.n == (size_t)ol && !memcmp(p.p, off, p.n)
                        ? 2
                        : 0;
        } else if (p.key_len == 19 && !memcmp(p.key, "x-opt-enqueued-time", 19)) {
            seen |= p.branch == EDDY_AVRO_PROP_LONG && p.l == ev->enqueued_ms ? 4 : 0;
        } else if (p.key_len == 19 && !memcmp(p.key, "x-opt-partition-key", 19)) {
            int want = ev->key_len == 3 && ev->key[0] == 0xff ? EDDY_AVRO_PROP_BYTES
                                                              : EDDY_AVRO_PROP_STRING;
            seen |= p.branch == want ? 8 : 0;
        }
    }
    if (seen != (ev->key_len >= 0 ? 15 : 7)) {
        printf("    event %d system properties differ (%d)\n", i, seen);
        return -1;
    }
    return 0;
}

/* Reads a file through r with the fast decoder, checking n events. */
static int read_all_fast(eddy_avro_reader *r, int64_t base, int n)
{
    eddy_reader *dr;
    int i = 0, rc;
    if (!eddy_avro_schema_is_eventdata(eddy_avro_reader_schema(r))) {
        return -2;
    }
    while ((rc = eddy_avro_reader_next(r, &dr)) == 1) {
        eddy_avro_eventdata ev;
        if (eddy_avro_eventdata_decode(eddy_avro_reader_decoder(r), dr, &ev)) {
            eddy_avro_reader_fail_datum(r);
            printf("    %s\n", eddy_avro_reader_error(r)->msg);
            return -3;
        }
        if (i >= n || check_event(&ev, base, i)) {
            return -4;
        }
        i++;
    }
    if (rc < 0) {
        printf("    %s\n", eddy_avro_reader_error(r)->msg);
        return rc;
    }
    return i == n ? 0 : -5;
}

TEST(test_roundtrip_codecs)
{
    char path[256];
    for (size_t c = 0; c < 3; c++) {
        test_tmp_path(path, sizeof path, eddy_avro_codec_name(codecs[c]));
        /* Small blocks: many of them. */
        EXPECT_EQ_INT(test_write_events(path, codecs[c], 4096, 1000, T0, 3000), 0);
        size_t len;
        uint8_t *data = test_read_file(path, &len);
        EXPECT_TRUE(data != NULL);

        eddy_avro_reader *r;
        eddy_avro_error err;
        EXPECT_EQ_INT(eddy_avro_reader_open_mem(&r, data, len, NULL, &err), 0);
        EXPECT_EQ_INT(eddy_avro_reader_codec(r), codecs[c]);
        const uint8_t *v;
        size_t vl;
        EXPECT_EQ_INT(eddy_avro_reader_meta(r, "avro.codec", &v, &vl), 0);
        EXPECT_EQ_MEM(v, vl, eddy_avro_codec_name(codecs[c]),
                      strlen(eddy_avro_codec_name(codecs[c])));
        EXPECT_EQ_INT(read_all_fast(r, 1000, 3000), 0);
        EXPECT_EQ_UINT(eddy_avro_reader_offset(r), len);
        EXPECT_TRUE(eddy_avro_reader_block_index(r) > 10);
        eddy_avro_reader_close(r);

        /* From an fd, in 100-byte reads. */
        int fd = open(path, O_RDONLY);
        eddy_avro_reader_opts o = {.read_size = 100};
        EXPECT_EQ_INT(eddy_avro_reader_open_fd(&r, fd, &o, &err), 0);
        EXPECT_EQ_INT(read_all_fast(r, 1000, 3000), 0);
        eddy_avro_reader_close(r);
        close(fd);
        free(data);
        unlink(path);
    }
}

/* The generic decoder and the fast one agree. */
TEST(test_generic_decoder)
{
    char path[256];
    test_tmp_path(path, sizeof path, "generic");
    EXPECT_EQ_INT(test_write_events(path, EDDY_AVRO_CODEC_DEFLATE, 0, 0, T0, 200), 0);
    size_t len;
    uint8_t *data = test_read_file(path, &len);
    eddy_avro_reader *r;
    EXPECT_EQ_INT(eddy_avro_reader_open_mem(&r, data, len, NULL, NULL), 0);
    const eddy_avro_node *root = eddy_avro_schema_root(eddy_avro_reader_schema(r));
    EXPECT_EQ_STR(root->name, "Microsoft.ServiceBus.Messaging.EventData");
    EXPECT_EQ_INT(eddy_avro_field_index(root, "Body"), 5);
    eddy_reader *dr;
    int i = 0;
    eddy_buf json;
    eddy_buf_init(&json, 0);
    while (eddy_avro_reader_next(r, &dr) == 1) {
        eddy_reader copy = *dr;
        eddy_avro_eventdata ev;
        eddy_avro_decoder d;
        eddy_avro_decoder_init(&d);
        EXPECT_EQ_INT(eddy_avro_eventdata_decode(&d, &copy, &ev), 0);
        /* Projection: only SequenceNumber and Body. */
        eddy_avro_value f[6];
        bool want[6] = {true, false, false, false, false, true};
        size_t start = dr->pos;
        EXPECT_EQ_INT(eddy_avro_read_record(eddy_avro_reader_decoder(r), root, dr, f, want), 0);
        EXPECT_EQ_UINT(dr->pos, copy.pos);
        EXPECT_EQ_INT(f[0].u.l, ev.sequence_number);
        EXPECT_EQ_INT(f[5].branch, ev.body_len >= 0 ? 1 : 0);
        if (ev.body_len >= 0) {
            EXPECT_EQ_MEM(f[5].u.bytes.p, f[5].u.bytes.n, ev.body, (size_t)ev.body_len);
        }
        /* JSON of the same datum, both union styles. */
        eddy_reader again;
        eddy_reader_init(&again, dr->p + start, dr->pos - start);
        eddy_buf_reset(&json);
        eddy_avro_decoder_init(&d);
        EXPECT_EQ_INT(eddy_avro_datum_to_json(&d, root, &again, &json, 0), 0);
        EXPECT_EQ_UINT(eddy_reader_remaining(&again), 0);
        if (i == 1) {
            eddy_buf_put_u8(&json, 0);
            EXPECT_EQ_STR((const char *)json.data,
                          "{\"SequenceNumber\":1,\"Offset\":\"1\",\"EnqueuedTimeUtc\":\"2026-11-"
                          "24T20:00:00.1300000Z\",\"SystemProperties\":{\"x-opt-sequence-number\":"
                          "{\"long\":1},\"x-opt-offset\":{\"string\":\"1\"},\"x-opt-enqueued-"
                          "time\":{\"long\":1795550400130},\"x-opt-partition-key\":{\"string\":"
                          "\"device-0001\"}},\"Properties\":{\"hdr-0\":{\"bytes\":\"v0-1\"}},"
                          "\"Body\":{\"bytes\":\"{\\\"deviceId\\\":\\\"device-0001\\\",\\\"seq\\\""
                          ":1,\\\"ts\\\":\\\"2026-11-24T20:00:01.001Z\\\",\\\"temperature\\\":21."
                          "1,\\\"humidity\\\":41,\\\"status\\\":\\\"ok\\\",\\\"site\\\":\\\"plant-"
                          "1\\\",\\\"firmware\\\":\\\"1.4.1\\\",\\\"tags\\\":[\\\"a\\\",\\\"b\\\","
                          "\\\"c\\\"],\\\"pad\\\":\\\"......................................"
                          "..\\\"}\"}}");
        }
        i++;
    }
    EXPECT_EQ_INT(i, 200);
    EXPECT_EQ_INT(eddy_avro_reader_error(r)->code, 0);
    eddy_buf_deinit(&json);
    eddy_avro_reader_close(r);
    free(data);
    unlink(path);
}

TEST(test_empty_file)
{
    char path[256];
    for (size_t c = 0; c < 3; c++) {
        test_tmp_path(path, sizeof path, "empty");
        EXPECT_EQ_INT(test_write_events(path, codecs[c], 0, 0, T0, 0), 0);
        size_t len;
        uint8_t *data = test_read_file(path, &len);
        /* magic 4, map count 1, key+value of avro.schema and avro.codec, 0,
         * sync 16. */
        size_t schema_len = strlen(EDDY_AVRO_EVENTDATA_SCHEMA);
        size_t codec_len = strlen(eddy_avro_codec_name(codecs[c]));
        EXPECT_EQ_UINT(len, 4 + 1 + 1 + 11 + eddy_uvarint_size(2 * schema_len) + schema_len + 1 +
                                10 + 1 + codec_len + 1 + 16);
        eddy_avro_reader *r;
        EXPECT_EQ_INT(eddy_avro_reader_open_mem(&r, data, len, NULL, NULL), 0);
        eddy_reader *dr;
        EXPECT_EQ_INT(eddy_avro_reader_next(r, &dr), 0);
        EXPECT_EQ_INT(eddy_avro_reader_next(r, &dr), 0);
        eddy_avro_reader_close(r);
        free(data);
        unlink(path);
    }
}

TEST(test_writer_blocks_and_counts)
{
    char path[256];
    test_tmp_path(path, sizeof path, "blocks");
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    eddy_avro_writer *w;
    eddy_avro_writer_opts o = {.codec = EDDY_AVRO_CODEC_NULL, .block_bytes = 1000};
    EXPECT_EQ_INT(eddy_avro_writer_open(&w, fd, EDDY_AVRO_EVENTDATA_SCHEMA, &o), 0);
    uint64_t header = eddy_avro_writer_file_bytes(w);
    EXPECT_EQ_UINT(header, (uint64_t)lseek(fd, 0, SEEK_CUR));
    test_event t;
    int blocks = 0;
    for (int i = 0; i < 50; i++) {
        test_event_make(&t, 0, T0, i);
        uint64_t before = eddy_avro_writer_file_bytes(w);
        eddy_avro_eventdata_encode(eddy_avro_writer_datum(w), &t.ev);
        EXPECT_EQ_INT(eddy_avro_writer_end_datum(w), 0);
        if (eddy_avro_writer_file_bytes(w) != before) {
            blocks++;
            EXPECT_EQ_UINT(eddy_avro_writer_pending_bytes(w), 0);
        } else {
            EXPECT_TRUE(eddy_avro_writer_pending_bytes(w) > 0);
            EXPECT_TRUE(eddy_avro_writer_pending_bytes(w) < 1000);
        }
    }
    EXPECT_EQ_UINT(eddy_avro_writer_datums(w), 50);
    EXPECT_TRUE(blocks >= 8);
    /* A datum begun but not ended is not written by flush. */
    eddy_buf_append(eddy_avro_writer_datum(w), "\x02", 1);
    EXPECT_EQ_INT(eddy_avro_writer_flush(w), 0);
    EXPECT_EQ_UINT(eddy_avro_writer_file_bytes(w), (uint64_t)lseek(fd, 0, SEEK_CUR));
    eddy_buf_reset(eddy_avro_writer_datum(w));
    EXPECT_EQ_INT(eddy_avro_writer_close(w), 0);
    close(fd);
    size_t len;
    uint8_t *data = test_read_file(path, &len);
    eddy_avro_reader *r;
    EXPECT_EQ_INT(eddy_avro_reader_open_mem(&r, data, len, NULL, NULL), 0);
    eddy_avro_block b;
    int n = 0, count = 0;
    while (eddy_avro_reader_next_block(r, &b) == 1) {
        n++;
        count += (int)b.count;
    }
    EXPECT_EQ_INT(n, blocks + 1);
    EXPECT_EQ_INT(count, 50);
    EXPECT_EQ_INT(eddy_avro_reader_error(r)->code, 0);
    eddy_avro_reader_close(r);
    free(data);
    unlink(path);
}

TEST(test_writer_bad_args_and_sticky_failure)
{
    eddy_avro_writer *w;
    int fd = open("/dev/null", O_WRONLY);
    EXPECT_EQ_INT(eddy_avro_writer_open(&w, fd, "{\"type\":\"nope\"}", NULL), EDDY_ERR_INVALID_ARG);
    eddy_avro_writer_opts o = {.level = 13};
    EXPECT_EQ_INT(eddy_avro_writer_open(&w, fd, "\"long\"", &o), EDDY_ERR_INVALID_ARG);
    close(fd);
    EXPECT_EQ_INT(eddy_avro_writer_open(&w, -1, "\"long\"", NULL), EDDY_ERR_INVALID_ARG);

    /* /dev/full: the header fits no disk. */
    fd = open("/dev/full", O_WRONLY);
    if (fd < 0) {
        return; /* not in this sandbox */
    }
    EXPECT_EQ_INT(eddy_avro_writer_open(&w, fd, "\"long\"", NULL), EDDY_ERR_NOSPACE);
    close(fd);

    /* A pipe whose reader is gone: the first block fails, then FAILED. */
    int p[2];
    EXPECT_EQ_INT(pipe(p), 0);
    EXPECT_EQ_INT(eddy_avro_writer_open(&w, p[1], "\"long\"", NULL), 0);
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    eddy_avro_put_long(eddy_avro_writer_datum(w), 42);
    EXPECT_EQ_INT(eddy_avro_writer_end_datum(w), 0);
    EXPECT_EQ_INT(eddy_avro_writer_flush(w), EDDY_ERR_IO);
    EXPECT_EQ_INT(eddy_avro_writer_end_datum(w), EDDY_ERR_FAILED);
    EXPECT_EQ_INT(eddy_avro_writer_close(w), EDDY_ERR_FAILED);
    close(p[1]);
}

/* Opens and reads a whole file; returns 0 or the error code, with the
 * message in msg. */
static int read_blob(const uint8_t *data, size_t len, const eddy_avro_reader_opts *o, char *msg,
                     size_t msglen, int *datums)
{
    eddy_avro_reader *r;
    eddy_avro_error err;
    int rc = eddy_avro_reader_open_mem(&r, data, len, o, &err);
    *datums = 0;
    if (rc) {
        snprintf(msg, msglen, "%s", err.msg);
        return rc;
    }
    eddy_buf json;
    eddy_buf_init(&json, 0);
    const eddy_avro_node *root = eddy_avro_schema_root(eddy_avro_reader_schema(r));
    eddy_reader *dr;
    while ((rc = eddy_avro_reader_next(r, &dr)) == 1) {
        eddy_buf_reset(&json);
        if (eddy_avro_datum_to_json(eddy_avro_reader_decoder(r), root, dr, &json, 0)) {
            rc = eddy_avro_reader_fail_datum(r);
            break;
        }
        (*datums)++;
    }
    snprintf(msg, msglen, "%s", eddy_avro_reader_error(r)->msg);
    eddy_buf_deinit(&json);
    eddy_avro_reader_close(r);
    return rc;
}

TEST(test_truncated_everywhere)
{
    char path[256];
    for (size_t c = 0; c < 3; c++) {
        test_tmp_path(path, sizeof path, "trunc");
        EXPECT_EQ_INT(test_write_events(path, codecs[c], 2000, 0, T0, 60), 0);
        size_t len;
        uint8_t *data = test_read_file(path, &len);
        char msg[400];
        int n;
        EXPECT_EQ_INT(read_blob(data, len, NULL, msg, sizeof msg, &n), 0);
        EXPECT_EQ_INT(n, 60);
        int truncated_block = 0;
        for (size_t cut = 0; cut < len; cut++) {
            uint8_t *copy = malloc(cut ? cut : 1);
            memcpy(copy, data, cut);
            int rc = read_blob(copy, cut, NULL, msg, sizeof msg, &n);
            free(copy);
            /* A cut exactly at a block boundary is a valid shorter file. */
            if (rc == 0) {
                continue;
            }
            EXPECT_TRUE(rc < 0);
            if (strstr(msg, "torn last block")) {
                truncated_block++;
                EXPECT_TRUE(strstr(msg, "truncated at byte ") != NULL);
                char want[64];
                snprintf(want, sizeof want, "truncated at byte %zu ", cut);
                if (!strstr(msg, want)) {
                    TEST_FAIL_AT("cut %zu: %s", cut, msg);
                    return;
                }
            } else if (!strstr(msg, "header") && !strstr(msg, "empty file")) {
                TEST_FAIL_AT("cut %zu: unexpected message: %s", cut, msg);
                return;
            }
        }
        EXPECT_TRUE(truncated_block > 0);
        free(data);
        unlink(path);
    }
}

TEST(test_corruption)
{
    char path[256], msg[400];
    int n;
    for (size_t c = 0; c < 3; c++) {
        test_tmp_path(path, sizeof path, "corrupt");
        EXPECT_EQ_INT(test_write_events(path, codecs[c], 2000, 0, T0, 40), 0);
        size_t len;
        uint8_t *data = test_read_file(path, &len);
        /* Every single flipped byte: an error or a (different) success,
         * never a crash (ASan in the asan build). */
        for (size_t i = 0; i < len; i++) {
            data[i] ^= 0x5a;
            (void)read_blob(data, len, NULL, msg, sizeof msg, &n);
            data[i] ^= 0x5a;
        }
        /* The last sync marker. */
        data[len - 1] ^= 1;
        EXPECT_EQ_INT(read_blob(data, len, NULL, msg, sizeof msg, &n), EDDY_ERR_CORRUPT);
        EXPECT_TRUE(strstr(msg, "sync marker mismatch") != NULL);
        EXPECT_TRUE(strstr(msg, "block ") == msg);
        data[len - 1] ^= 1;
        if (codecs[c] == EDDY_AVRO_CODEC_SNAPPY) {
            /* The last block's CRC is just before its sync marker. */
            data[len - 17] ^= 1;
            EXPECT_EQ_INT(read_blob(data, len, NULL, msg, sizeof msg, &n), EDDY_ERR_CORRUPT);
            EXPECT_TRUE(strstr(msg, "CRC-32 mismatch") != NULL);
            data[len - 17] ^= 1;
        }
        /* Limits. */
        eddy_avro_reader_opts o = {.max_block_bytes = 100};
        EXPECT_EQ_INT(read_blob(data, len, &o, msg, sizeof msg, &n), EDDY_ERR_LIMIT);
        EXPECT_TRUE(strstr(msg, "over the limit") != NULL);
        eddy_avro_reader_opts o2 = {.max_block_count = 2};
        EXPECT_EQ_INT(read_blob(data, len, &o2, msg, sizeof msg, &n), EDDY_ERR_LIMIT);
        eddy_avro_reader_opts o3 = {.max_header_bytes = 100};
        EXPECT_EQ_INT(read_blob(data, len, &o3, msg, sizeof msg, &n), EDDY_ERR_LIMIT);
        EXPECT_TRUE(strstr(msg, "header larger than") != NULL);
        free(data);
        unlink(path);
    }
    /* Not Avro at all. */
    EXPECT_EQ_INT(read_blob((const uint8_t *)"PAR1xxxx", 8, NULL, msg, sizeof msg, &n),
                  EDDY_ERR_CORRUPT);
    EXPECT_TRUE(strstr(msg, "not an Avro object container") != NULL);
    EXPECT_EQ_INT(read_blob((const uint8_t *)"", 0, NULL, msg, sizeof msg, &n), EDDY_ERR_CORRUPT);
    EXPECT_TRUE(strstr(msg, "empty file") != NULL);
}

/* Builds a container by hand: header with the given schema and codec, then
 * one block of the given data and count. */
static void build_file(eddy_buf *f, const char *schema, const char *codec, int64_t count,
                       const uint8_t *data, size_t n)
{
    static const uint8_t sync[16] = "0123456789abcdef";
    eddy_buf_append(f, "Obj\x01", 4);
    eddy_avro_put_long(f, 2);
    eddy_avro_put_bytes(f, "avro.schema", 11);
    eddy_avro_put_bytes(f, schema, strlen(schema));
    eddy_avro_put_bytes(f, "avro.codec", 10);
    eddy_avro_put_bytes(f, codec, strlen(codec));
    eddy_avro_put_long(f, 0);
    eddy_buf_append(f, sync, 16);
    if (count >= 0) {
        eddy_avro_put_long(f, count);
        eddy_avro_put_long(f, (int64_t)n);
        eddy_buf_append(f, data, n);
        eddy_buf_append(f, sync, 16);
    }
}

TEST(test_hand_built_files)
{
    eddy_buf f;
    eddy_buf_init(&f, 0);
    char msg[400];
    int n;
    /* Unsupported codec. */
    build_file(&f, "\"long\"", "zstandard", -1, NULL, 0);
    EXPECT_EQ_INT(read_blob(f.data, f.len, NULL, msg, sizeof msg, &n), EDDY_ERR_UNSUPPORTED);
    EXPECT_TRUE(strstr(msg, "unsupported codec 'zstandard'") != NULL);
    /* Bad schema. */
    eddy_buf_reset(&f);
    build_file(&f, "{\"type\":\"record\"}", "null", -1, NULL, 0);
    EXPECT_EQ_INT(read_blob(f.data, f.len, NULL, msg, sizeof msg, &n), EDDY_ERR_CORRUPT);
    EXPECT_TRUE(strstr(msg, "bad schema: record has no \"name\"") != NULL);
    /* Datums leave bytes over. */
    eddy_buf_reset(&f);
    build_file(&f, "\"long\"", "null", 2, (const uint8_t *)"\x02\x04\x06", 3);
    EXPECT_EQ_INT(read_blob(f.data, f.len, NULL, msg, sizeof msg, &n), EDDY_ERR_CORRUPT);
    EXPECT_TRUE(strstr(msg, "2 datums leave 1 bytes") != NULL);
    /* Too many datums for the bytes. */
    eddy_buf_reset(&f);
    build_file(&f, "\"long\"", "null", 4, (const uint8_t *)"\x02\x04\x06", 3);
    EXPECT_EQ_INT(read_blob(f.data, f.len, NULL, msg, sizeof msg, &n), EDDY_ERR_CORRUPT);
    EXPECT_TRUE(strstr(msg, "4 datums cannot fill 3 bytes") != NULL);
    /* A bad datum: a string length past the data. */
    eddy_buf_reset(&f);
    build_file(&f, "\"string\"", "null", 2, (const uint8_t *)"\x02x\x10yy", 5);
    EXPECT_EQ_INT(read_blob(f.data, f.len, NULL, msg, sizeof msg, &n), EDDY_ERR_CORRUPT);
    EXPECT_TRUE(strstr(msg, "block 0 at byte ") == msg);
    EXPECT_TRUE(strstr(msg, "datum 1: length runs past the end of the data (at byte 2 of the "
                            "block's data)") != NULL);
    EXPECT_EQ_INT(n, 1);
    /* A deflate bomb: 1 MiB of zeros under a 64 KiB limit. */
    eddy_buf z, zc;
    eddy_buf_init(&z, 0);
    eddy_buf_init(&zc, 0);
    uint8_t *zero = calloc(1, 1 << 20);
    eddy_avro_put_bytes(&z, zero, (1 << 20) - 4);
    free(zero);
    eddy_buf_reset(&f);
    /* Compress through a writer to a pipe-free temp file. */
    char path[256];
    test_tmp_path(path, sizeof path, "bomb");
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    eddy_avro_writer *w;
    eddy_avro_writer_opts wo = {.codec = EDDY_AVRO_CODEC_DEFLATE};
    EXPECT_EQ_INT(eddy_avro_writer_open(&w, fd, "\"bytes\"", &wo), 0);
    eddy_buf_append(eddy_avro_writer_datum(w), z.data, z.len);
    EXPECT_EQ_INT(eddy_avro_writer_end_datum(w), 0);
    EXPECT_EQ_INT(eddy_avro_writer_close(w), 0);
    close(fd);
    size_t len;
    uint8_t *data = test_read_file(path, &len);
    EXPECT_TRUE(len < 10000);
    eddy_avro_reader_opts o = {.max_block_datum_bytes = 65536};
    EXPECT_EQ_INT(read_blob(data, len, &o, msg, sizeof msg, &n), EDDY_ERR_LIMIT);
    EXPECT_TRUE(strstr(msg, "decompressed block over the size limit") != NULL);
    EXPECT_EQ_INT(read_blob(data, len, NULL, msg, sizeof msg, &n), 0);
    EXPECT_EQ_INT(n, 1);
    free(data);
    unlink(path);
    eddy_buf_deinit(&z);
    eddy_buf_deinit(&zc);
    eddy_buf_deinit(&f);
}

/* A schema larger than the reader's first 64 KiB window, over an fd. */
TEST(test_big_header_fd)
{
    eddy_buf schema;
    eddy_buf_init(&schema, 0);
    const char *head = "{\"type\":\"record\",\"name\":\"Wide\",\"fields\":[";
    eddy_buf_append(&schema, head, strlen(head));
    for (int i = 0; i < 4000; i++) {
        char f[64];
        int n =
            snprintf(f, sizeof f, "%s{\"name\":\"field_%05d\",\"type\":\"long\"}", i ? "," : "", i);
        eddy_buf_append(&schema, f, (size_t)n);
    }
    eddy_buf_append(&schema, "]}", 3); /* with the NUL */
    EXPECT_TRUE(schema.len > 130000);  /* two 64 KiB windows */
    char path[256];
    test_tmp_path(path, sizeof path, "wide");
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    eddy_avro_writer *w;
    EXPECT_EQ_INT(eddy_avro_writer_open(&w, fd, (const char *)schema.data, NULL), 0);
    for (int i = 0; i < 4000; i++) {
        eddy_avro_put_long(eddy_avro_writer_datum(w), i);
    }
    EXPECT_EQ_INT(eddy_avro_writer_end_datum(w), 0);
    EXPECT_EQ_INT(eddy_avro_writer_close(w), 0);

    for (int pass = 0; pass < 2; pass++) {
        lseek(fd, 0, SEEK_SET);
        eddy_avro_reader *r;
        eddy_avro_error err;
        eddy_avro_reader_opts o = {.read_size = 1000, .max_header_bytes = pass ? 100000 : 0};
        int rc = eddy_avro_reader_open_fd(&r, fd, &o, &err);
        if (pass == 1) {
            EXPECT_EQ_INT(rc, EDDY_ERR_LIMIT);
            EXPECT_TRUE(strstr(err.msg, "header larger than the limit of 100000 bytes") != NULL);
            continue;
        }
        EXPECT_EQ_INT(rc, 0);
        const eddy_avro_node *root = eddy_avro_schema_root(eddy_avro_reader_schema(r));
        EXPECT_EQ_INT(root->count, 4000);
        eddy_reader *dr;
        EXPECT_EQ_INT(eddy_avro_reader_next(r, &dr), 1);
        eddy_avro_value f[4000];
        EXPECT_EQ_INT(eddy_avro_read_record(eddy_avro_reader_decoder(r), root, dr, f, NULL), 0);
        EXPECT_EQ_INT(f[3999].u.l, 3999);
        EXPECT_EQ_INT(eddy_avro_reader_next(r, &dr), 0);
        eddy_avro_reader_close(r);
    }
    close(fd);
    unlink(path);
    eddy_buf_deinit(&schema);
}

int main(void)
{
    RUN(test_primitives);
    RUN(test_roundtrip_codecs);
    RUN(test_generic_decoder);
    RUN(test_empty_file);
    RUN(test_writer_blocks_and_counts);
    RUN(test_writer_bad_args_and_sticky_failure);
    RUN(test_truncated_everywhere);
    RUN(test_corruption);
    RUN(test_hand_built_files);
    RUN(test_big_header_fd);
    return test_summary();
}
