/* eddy_batch_validate: every rule gives its Kafka ErrorCode. Each test
 * mutates a good batch (a kafka-python fixture, or one built here byte by
 * byte) and, where the rule sits behind the CRC check, recomputes the CRC so
 * that the rule under test is the one that fires. */
#include <pthread.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "record/builder.h"
#include "record/validate.h"
#include "test.h"
#include "test_record_util.h"

#define T0 INT64_C(1700000000000)

static const eddy_batch_limits lim_default = EDDY_BATCH_LIMITS_DEFAULT;

/* Validates with the default limits. */
static int check(const uint8_t *p, size_t len)
{
    return eddy_batch_validate(p, len, &lim_default, NULL);
}

/* ---- batches built by hand -------------------------------------------- */

/* Wraps a record array in a v2 header with a correct CRC (into out). */
static void wrap(eddy_buf *out, const eddy_buf *records, int32_t count, int32_t last_delta,
                 uint16_t attributes)
{
    eddy_buf_reset(out);
    uint8_t *h = eddy_buf_extend(out, EDDY_BATCH_HEADER_SIZE);
    memset(h, 0, EDDY_BATCH_HEADER_SIZE);
    eddy_buf_append(out, records->data, records->len);
    h = out->data;
    eddy_store_be32(h + EDDY_BATCH_OFF_LENGTH, (uint32_t)(out->len - EDDY_BATCH_LOG_OVERHEAD));
    h[EDDY_BATCH_OFF_MAGIC] = 2;
    eddy_store_be16(h + EDDY_BATCH_OFF_ATTRIBUTES, attributes);
    eddy_store_be32(h + EDDY_BATCH_OFF_LAST_OFFSET_DELTA, (uint32_t)last_delta);
    eddy_store_be64(h + EDDY_BATCH_OFF_BASE_TIMESTAMP, (uint64_t)T0);
    eddy_store_be64(h + EDDY_BATCH_OFF_MAX_TIMESTAMP, (uint64_t)T0);
    eddy_store_be64(h + EDDY_BATCH_OFF_PRODUCER_ID, UINT64_MAX);
    eddy_store_be16(h + EDDY_BATCH_OFF_PRODUCER_EPOCH, UINT16_MAX);
    eddy_store_be32(h + EDDY_BATCH_OFF_BASE_SEQUENCE, UINT32_MAX);
    eddy_store_be32(h + EDDY_BATCH_OFF_RECORDS_COUNT, (uint32_t)count);
    trec_recrc(out->data, out->len);
}

/* Appends a record whose body is body[0..n), with its length varint
 * (length_adjust is added to the written length to make it lie). */
static void put_record_raw(eddy_buf *records, const eddy_buf *body, int32_t length_adjust)
{
    eddy_buf_put_varint(records, (int32_t)body->len + length_adjust);
    eddy_buf_append(records, body->data, body->len);
}

/* A well-formed record body: key "k", value of vlen 'v's, no headers. */
static void body_simple(eddy_buf *b, int32_t offset_delta, int32_t vlen)
{
    eddy_buf_reset(b);
    eddy_buf_put_u8(b, 0);
    eddy_buf_put_varlong(b, offset_delta);
    eddy_buf_put_varint(b, offset_delta);
    eddy_buf_put_varint(b, 1);
    eddy_buf_put_u8(b, 'k');
    eddy_buf_put_varint(b, vlen);
    for (int32_t i = 0; i < vlen; i++) {
        eddy_buf_put_u8(b, 'v');
    }
    eddy_buf_put_varint(b, 0);
}

/* Builds a batch of n simple records with the given offset deltas. */
static void simple_batch(eddy_buf *out, const int32_t *deltas, int32_t n, int32_t count)
{
    eddy_buf recs, body;
    eddy_buf_init(&recs, 0);
    eddy_buf_init(&body, 0);
    for (int32_t i = 0; i < n; i++) {
        body_simple(&body, deltas[i], 3);
        put_record_raw(&recs, &body, 0);
    }
    wrap(out, &recs, count, count - 1, 0);
    eddy_buf_deinit(&recs);
    eddy_buf_deinit(&body);
}

/* ---- tests -------------------------------------------------------------- */

TEST(good_batches_pass_with_info)
{
    static const char *names[] = {"none.bin",       "gzip.bin",    "snappy-xerial.bin",
                                  "snappy-raw.bin", "lz4.bin",     "zstd.bin",
                                  "idempotent.bin", "big-lz4.bin", "big-snappy-xerial.bin",
                                  "big-zstd.bin",   "big-gzip.bin"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len;
        uint8_t *p = trec_fixture(names[i], &len);
        EXPECT_TRUE(p != NULL);
        eddy_batch_info info;
        int rc = eddy_batch_validate(p, len, &lim_default, &info);
        if (rc != 0) {
            TEST_FAIL_AT("%s: %s", names[i], eddy_err_name(rc));
            free(p);
            return;
        }
        EXPECT_EQ_INT(info.batch_bytes, len);
        EXPECT_EQ_INT(info.codec, p[EDDY_BATCH_OFF_ATTRIBUTES + 1] & 7);
        free(p);
    }
    size_t len;
    uint8_t *p = trec_fixture("none.bin", &len);
    eddy_batch_info info;
    EXPECT_EQ_INT(eddy_batch_validate(p, len, NULL, &info), 0); /* NULL limits: defaults */
    EXPECT_EQ_INT(info.record_count, 40);
    EXPECT_EQ_INT(info.uncompressed_bytes, len - EDDY_BATCH_HEADER_SIZE);
    EXPECT_EQ_INT(info.min_timestamp, T0 - 1000); /* a negative delta */
    EXPECT_EQ_INT(info.max_timestamp, T0 + 39000);
    EXPECT_EQ_INT(info.hdr.records_count, 40);
    EXPECT_EQ_INT(eddy_batch_validate(p, len, NULL, NULL), 0);
    free(p);
}

TEST(crc_mismatch_is_corrupt_message)
{
    size_t len;
    uint8_t *p = trec_fixture("lz4.bin", &len);
    EXPECT_TRUE(p != NULL);
    p[EDDY_BATCH_OFF_CRC + 2] ^= 0x01;
    EXPECT_EQ_INT(check(p, len), EDDY_ERR_CORRUPT_MESSAGE);
    p[EDDY_BATCH_OFF_CRC + 2] ^= 0x01;
    EXPECT_EQ_INT(check(p, len), 0);
    p[len - 1] ^= 0x80; /* last byte of the compressed records */
    EXPECT_EQ_INT(check(p, len), EDDY_ERR_CORRUPT_MESSAGE);
    p[len - 1] ^= 0x80;
    /* baseOffset and partitionLeaderEpoch are not covered by the CRC. */
    p[3] = 7;
    p[EDDY_BATCH_OFF_LEADER_EPOCH + 3] = 9;
    EXPECT_EQ_INT(check(p, len), 0);
    free(p);
}

TEST(framing_one_batch_exactly)
{
    size_t len;
    uint8_t *good = trec_fixture("none.bin", &len);
    EXPECT_TRUE(good != NULL);
    uint8_t *p = trec_dup(good, len, len);

    /* Truncated, and a batch followed by junk: CORRUPT_MESSAGE. */
    EXPECT_EQ_INT(check(p, len - 1), EDDY_ERR_CORRUPT_MESSAGE);
    EXPECT_EQ_INT(check(p, 40), EDDY_ERR_CORRUPT_MESSAGE);
    EXPECT_EQ_INT(check(p, 16), EDDY_ERR_CORRUPT_MESSAGE);
    EXPECT_EQ_INT(check(p, 0), EDDY_ERR_CORRUPT_MESSAGE);
    EXPECT_EQ_INT(check(NULL, 100), EDDY_ERR_CORRUPT_MESSAGE);
    EXPECT_EQ_INT(check(p, len + 5), EDDY_ERR_CORRUPT_MESSAGE);
    EXPECT_EQ_INT(check(p, len + 20), EDDY_ERR_CORRUPT_MESSAGE); /* zeros: magic 0 */

    /* Two batches: INVALID_RECORD, even if the second is cut short. */
    memcpy(p + len, good, len);
    EXPECT_EQ_INT(check(p, 2 * len), EDDY_ERR_INVALID_RECORD);
    EXPECT_EQ_INT(check(p, len + 17), EDDY_ERR_INVALID_RECORD);

    /* batchLength under the header, and over the bytes given. */
    eddy_store_be32(p + EDDY_BATCH_OFF_LENGTH, 10);
    EXPECT_EQ_INT(check(p, len), EDDY_ERR_CORRUPT_MESSAGE);
    eddy_store_be32(p + EDDY_BATCH_OFF_LENGTH, (uint32_t)-5);
    EXPECT_EQ_INT(check(p, len), EDDY_ERR_CORRUPT_MESSAGE);
    eddy_store_be32(p + EDDY_BATCH_OFF_LENGTH, (uint32_t)(len - 11));
    EXPECT_EQ_INT(check(p, len), EDDY_ERR_CORRUPT_MESSAGE);
    memcpy(p, good, len);

    /* Magic: 0 and 1 are old message sets, anything else is garbage. */
    p[EDDY_BATCH_OFF_MAGIC] = 1;
    EXPECT_EQ_INT(check(p, len), EDDY_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT);
    p[EDDY_BATCH_OFF_MAGIC] = 0;
    EXPECT_EQ_INT(check(p, 30), EDDY_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT);
    p[EDDY_BATCH_OFF_MAGIC] = 3;
    EXPECT_EQ_INT(check(p, len), EDDY_ERR_CORRUPT_MESSAGE);
    p[EDDY_BATCH_OFF_MAGIC] = 0xff;
    EXPECT_EQ_INT(check(p, len), EDDY_ERR_CORRUPT_MESSAGE);
    free(p);
    free(good);
}

/* Sets a header field of a copy of good, re-CRCs, validates. */
static int mutate16(const uint8_t *good, size_t len, size_t off, uint16_t v)
{
    uint8_t *p = trec_dup(good, len, 0);
    eddy_store_be16(p + off, v);
    trec_recrc(p, len);
    int rc = check(p, len);
    free(p);
    return rc;
}

static int mutate32(const uint8_t *good, size_t len, size_t off, uint32_t v)
{
    uint8_t *p = trec_dup(good, len, 0);
    eddy_store_be32(p + off, v);
    trec_recrc(p, len);
    int rc = check(p, len);
    free(p);
    return rc;
}

TEST(header_rules)
{
    size_t len;
    uint8_t *good = trec_fixture("none.bin", &len);
    EXPECT_TRUE(good != NULL);
    /* lastOffsetDelta + 1 must equal recordsCount, which must be > 0. */
    EXPECT_EQ_INT(mutate32(good, len, EDDY_BATCH_OFF_LAST_OFFSET_DELTA, 40),
                  EDDY_ERR_INVALID_RECORD);
    EXPECT_EQ_INT(mutate32(good, len, EDDY_BATCH_OFF_LAST_OFFSET_DELTA, INT32_MAX),
                  EDDY_ERR_INVALID_RECORD);
    EXPECT_EQ_INT(mutate32(good, len, EDDY_BATCH_OFF_RECORDS_COUNT, 0), EDDY_ERR_INVALID_RECORD);
    EXPECT_EQ_INT(mutate32(good, len, EDDY_BATCH_OFF_RECORDS_COUNT, (uint32_t)-1),
                  EDDY_ERR_INVALID_RECORD);
    /* Control batches come only from a transaction coordinator. */
    EXPECT_EQ_INT(mutate16(good, len, EDDY_BATCH_OFF_ATTRIBUTES, EDDY_BATCH_CONTROL),
                  EDDY_ERR_INVALID_RECORD);
    /* The broker owns LogAppendTime. */
    EXPECT_EQ_INT(mutate16(good, len, EDDY_BATCH_OFF_ATTRIBUTES, EDDY_BATCH_TIMESTAMP_LOG_APPEND),
                  EDDY_ERR_INVALID_TIMESTAMP);
    /* Transactional alone is fine. */
    EXPECT_EQ_INT(mutate16(good, len, EDDY_BATCH_OFF_ATTRIBUTES, EDDY_BATCH_TRANSACTIONAL), 0);
    /* Codecs 5..7 do not exist. */
    for (uint16_t c = 5; c <= 7; c++) {
        EXPECT_EQ_INT(mutate16(good, len, EDDY_BATCH_OFF_ATTRIBUTES, c),
                      EDDY_ERR_UNSUPPORTED_COMPRESSION_TYPE);
    }
    /* An idempotent producer must send a sequence. */
    uint8_t *p = trec_dup(good, len, 0);
    eddy_store_be64(p + EDDY_BATCH_OFF_PRODUCER_ID, 5);
    trec_recrc(p, len);
    EXPECT_EQ_INT(check(p, len), EDDY_ERR_INVALID_RECORD); /* baseSequence -1 */
    eddy_store_be32(p + EDDY_BATCH_OFF_BASE_SEQUENCE, 0);
    trec_recrc(p, len);
    EXPECT_EQ_INT(check(p, len), 0);
    free(p);
    free(good);
}

TEST(zstd_needs_produce_v7)
{
    size_t len;
    uint8_t *p = trec_fixture("zstd.bin", &len);
    EXPECT_TRUE(p != NULL);
    eddy_batch_limits lim = EDDY_BATCH_LIMITS_DEFAULT;
    lim.allow_zstd = false;
    EXPECT_EQ_INT(eddy_batch_validate(p, len, &lim, NULL), EDDY_ERR_UNSUPPORTED_COMPRESSION_TYPE);
    lim.allow_zstd = true;
    EXPECT_EQ_INT(eddy_batch_validate(p, len, &lim, NULL), 0);
    free(p);
}

TEST(size_limits)
{
    size_t len;
    uint8_t *p = trec_fixture("none.bin", &len);
    EXPECT_TRUE(p != NULL);
    eddy_batch_limits lim = EDDY_BATCH_LIMITS_DEFAULT;
    lim.max_batch_bytes = len - 1;
    EXPECT_EQ_INT(eddy_batch_validate(p, len, &lim, NULL), EDDY_ERR_MESSAGE_TOO_LARGE);
    lim.max_batch_bytes = len;
    EXPECT_EQ_INT(eddy_batch_validate(p, len, &lim, NULL), 0);
    /* The largest value in none.bin is 1024 bytes. */
    lim.max_event_bytes = 1023;
    EXPECT_EQ_INT(eddy_batch_validate(p, len, &lim, NULL), EDDY_ERR_MESSAGE_TOO_LARGE);
    lim.max_event_bytes = 1024;
    EXPECT_EQ_INT(eddy_batch_validate(p, len, &lim, NULL), 0);
    free(p);
    /* The same inside a compressed batch. */
    p = trec_fixture("big-zstd.bin", &len);
    lim.max_event_bytes = 108000 - 1;
    EXPECT_EQ_INT(eddy_batch_validate(p, len, &lim, NULL), EDDY_ERR_MESSAGE_TOO_LARGE);
    lim.max_event_bytes = 108000;
    EXPECT_EQ_INT(eddy_batch_validate(p, len, &lim, NULL), 0);
    free(p);
}

TEST(record_count_and_offset_deltas)
{
    eddy_buf b;
    eddy_buf_init(&b, 0);
    static const int32_t in_order[] = {0, 1, 2};
    simple_batch(&b, in_order, 3, 3);
    EXPECT_EQ_INT(check(b.data, b.len), 0);
    simple_batch(&b, in_order, 3, 4); /* fewer records than counted */
    EXPECT_EQ_INT(check(b.data, b.len), EDDY_ERR_INVALID_RECORD);
    simple_batch(&b, in_order, 3, 2); /* more */
    EXPECT_EQ_INT(check(b.data, b.len), EDDY_ERR_INVALID_RECORD);
    static const int32_t swapped[] = {0, 2, 1};
    simple_batch(&b, swapped, 3, 3);
    EXPECT_EQ_INT(check(b.data, b.len), EDDY_ERR_INVALID_RECORD);
    static const int32_t gap[] = {1};
    simple_batch(&b, gap, 1, 1);
    EXPECT_EQ_INT(check(b.data, b.len), EDDY_ERR_INVALID_RECORD);
    eddy_buf_deinit(&b);
}

/* One malformed record after a good one, as a one-batch validation. */
typedef enum bad_kind {
    BAD_LENGTH_PAST_END,
    BAD_LENGTH_EXTRA_BYTE,
    BAD_LENGTH_SHORT,
    BAD_LENGTH_ZERO,
    BAD_LENGTH_NEGATIVE,
    BAD_KEY_PAST_RECORD,
    BAD_VALUE_LEN_MINUS_2,
    BAD_HEADER_KEY_NULL,
    BAD_HEADER_COUNT_NEGATIVE,
    BAD_HEADER_COUNT_HUGE,
    BAD_HEADER_VALUE_PAST_RECORD,
    BAD_OVERLONG_VARINT,
    BAD_TRUNCATED_VARINT,
    BAD_COUNT
} bad_kind;

static int validate_bad(bad_kind kind)
{
    eddy_buf recs, body, out;
    eddy_buf_init(&recs, 0);
    eddy_buf_init(&body, 0);
    eddy_buf_init(&out, 0);
    body_simple(&body, 0, 2);
    put_record_raw(&recs, &body, 0);

    eddy_buf_reset(&body);
    eddy_buf_put_u8(&body, 0);
    eddy_buf_put_varlong(&body, 0);
    eddy_buf_put_varint(&body, 1);
    int32_t adjust = 0;
    switch (kind) {
    case BAD_KEY_PAST_RECORD:
        eddy_buf_put_varint(&body, 50);
        eddy_buf_append(&body, "abc", 3);
        break;
    case BAD_VALUE_LEN_MINUS_2:
        eddy_buf_put_varint(&body, -1);
        eddy_buf_put_varint(&body, -2);
        eddy_buf_put_varint(&body, 0);
        break;
    case BAD_HEADER_KEY_NULL:
    case BAD_HEADER_COUNT_NEGATIVE:
    case BAD_HEADER_COUNT_HUGE:
    case BAD_HEADER_VALUE_PAST_RECORD:
        eddy_buf_put_varint(&body, -1);
        eddy_buf_put_varint(&body, -1);
        eddy_buf_put_varint(&body, kind == BAD_HEADER_COUNT_NEGATIVE ? -1
                                   : kind == BAD_HEADER_COUNT_HUGE   ? INT32_MAX
                                                                     : 1);
        eddy_buf_put_varint(&body, kind == BAD_HEADER_KEY_NULL ? -1 : 1);
        eddy_buf_put_u8(&body, 'h');
        eddy_buf_put_varint(&body, kind == BAD_HEADER_VALUE_PAST_RECORD ? 9 : 1);
        eddy_buf_put_u8(&body, 'v');
        break;
    case BAD_OVERLONG_VARINT:
        /* A key length of 0 in six bytes: longer than a 32-bit varint. */
        eddy_buf_append(&body, "\x80\x80\x80\x80\x80\x00", 6);
        eddy_buf_put_varint(&body, -1);
        eddy_buf_put_varint(&body, 0);
        break;
    case BAD_TRUNCATED_VARINT:
        eddy_buf_append(&body, "\x80\x80", 2); /* the record ends inside it */
        break;
    default:
        eddy_buf_put_varint(&body, -1);
        eddy_buf_put_varint(&body, 2);
        eddy_buf_append(&body, "vv", 2);
        eddy_buf_put_varint(&body, 0);
        break;
    }
    switch (kind) {
    case BAD_LENGTH_PAST_END:
        adjust = 3;
        break;
    case BAD_LENGTH_EXTRA_BYTE:
        eddy_buf_put_u8(&body, 0); /* a byte that no field claims */
        break;
    case BAD_LENGTH_SHORT:
        adjust = -1;
        break;
    case BAD_LENGTH_ZERO:
        adjust = -(int32_t)body.len;
        break;
    case BAD_LENGTH_NEGATIVE:
        adjust = -(int32_t)body.len - 5;
        break;
    default:
        break;
    }
    put_record_raw(&recs, &body, adjust);
    wrap(&out, &recs, 2, 1, 0);
    int rc = check(out.data, out.len);
    eddy_buf_deinit(&recs);
    eddy_buf_deinit(&body);
    eddy_buf_deinit(&out);
    return rc;
}

TEST(malformed_records_are_corrupt)
{
    for (int k = 0; k < BAD_COUNT; k++) {
        int rc = validate_bad((bad_kind)k);
        if (rc != EDDY_ERR_CORRUPT_MESSAGE) {
            TEST_FAIL_AT("bad kind %d: %d (%s)", k, rc, eddy_err_name(rc));
            return;
        }
    }
}

/* 1 MiB of zeros compresses to a few hundred bytes with any codec. */
static void bomb(eddy_buf *out, eddy_codec codec, size_t size)
{
    eddy_batch_builder bb;
    eddy_batch_builder_init(&bb, codec, T0);
    uint8_t *zeros = calloc(1, size);
    eddy_batch_builder_add(&bb, T0, NULL, -1, zeros, (int32_t)size, NULL, 0);
    eddy_buf_reset(out);
    eddy_batch_builder_finish(&bb, out);
    eddy_batch_builder_deinit(&bb);
    free(zeros);
}

TEST(decompression_is_bounded)
{
    eddy_buf b;
    eddy_buf_init(&b, 0);
    for (int c = EDDY_CODEC_GZIP; c <= EDDY_CODEC_ZSTD; c++) {
        bomb(&b, (eddy_codec)c, (size_t)1 << 20);
        EXPECT_TRUE(b.len < 64 * 1024);
        eddy_batch_limits lim = EDDY_BATCH_LIMITS_DEFAULT;
        lim.max_event_bytes = 0;
        eddy_batch_info info;
        EXPECT_EQ_INT(eddy_batch_validate(b.data, b.len, &lim, &info), 0);
        size_t u = info.uncompressed_bytes;
        EXPECT_TRUE(u > ((size_t)1 << 20));
        lim.max_uncompressed_bytes = u;
        EXPECT_EQ_INT(eddy_batch_validate(b.data, b.len, &lim, NULL), 0);
        lim.max_uncompressed_bytes = u - 1;
        EXPECT_EQ_INT(eddy_batch_validate(b.data, b.len, &lim, NULL), EDDY_ERR_CORRUPT_MESSAGE);
        lim.max_uncompressed_bytes = 4096;
        EXPECT_EQ_INT(eddy_batch_validate(b.data, b.len, &lim, NULL), EDDY_ERR_CORRUPT_MESSAGE);
        /* The caller's scratch never grows far past the bound. */
        eddy_record_scratch s;
        eddy_record_scratch_init(&s);
        EXPECT_EQ_INT(eddy_batch_validate_with(b.data, b.len, &lim, NULL, &s),
                      EDDY_ERR_CORRUPT_MESSAGE);
        EXPECT_TRUE(s.buf.cap <= 2 * 4096);
        eddy_record_scratch_deinit(&s);
    }
    eddy_buf_deinit(&b);
}

TEST(corrupt_compressed_streams)
{
    static const char *names[] = {"gzip.bin", "snappy-xerial.bin", "snappy-raw.bin", "lz4.bin",
                                  "zstd.bin"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len;
        uint8_t *good = trec_fixture(names[i], &len);
        EXPECT_TRUE(good != NULL);
        /* Cut the compressed stream short, header made consistent. */
        for (size_t cut = 1; cut < 40; cut += 7) {
            uint8_t *p = trec_dup(good, len, 0);
            size_t n = len - cut;
            eddy_store_be32(p + EDDY_BATCH_OFF_LENGTH, (uint32_t)(n - EDDY_BATCH_LOG_OVERHEAD));
            trec_recrc(p, n);
            int rc = check(p, n);
            free(p);
            if (rc != EDDY_ERR_CORRUPT_MESSAGE) {
                TEST_FAIL_AT("%s cut %zu: %s", names[i], cut, eddy_err_name(rc));
                free(good);
                return;
            }
        }
        /* Flip bytes in the middle: never accepted as the same records, and
         * never a crash (the fuzzer does the rest). */
        for (size_t at = EDDY_BATCH_HEADER_SIZE; at < len; at += 13) {
            uint8_t *p = trec_dup(good, len, 0);
            p[at] ^= 0x5a;
            trec_recrc(p, len);
            int rc = check(p, len);
            free(p);
            if (rc == EDDY_ERR_NOMEM || rc < 0) {
                TEST_FAIL_AT("%s flip at %zu: %s", names[i], at, eddy_err_name(rc));
                free(good);
                return;
            }
        }
        free(good);
    }
}

static void *validate_in_thread(void *arg)
{
    const char *name = arg;
    size_t len;
    uint8_t *p = trec_fixture(name, &len);
    intptr_t bad = p == NULL;
    for (int i = 0; p && i < 200; i++) {
        bad += check(p, len) != 0;
    }
    free(p);
    /* No release call: the thread-exit destructor frees the scratch (ASan's
     * leak check would see otherwise). */
    return (void *)bad;
}

TEST(threads_have_their_own_scratch)
{
    static const char *names[] = {"zstd.bin", "gzip.bin", "lz4.bin", "snappy-raw.bin"};
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ_INT(pthread_create(&t[i], NULL, validate_in_thread, (void *)names[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        void *bad;
        pthread_join(t[i], &bad);
        EXPECT_EQ_INT((intptr_t)bad, 0);
    }
}

TEST(explicit_and_temporary_scratch)
{
    size_t len;
    uint8_t *p = trec_fixture("gzip.bin", &len);
    EXPECT_TRUE(p != NULL);
    eddy_record_scratch s;
    eddy_record_scratch_init(&s);
    EXPECT_EQ_INT(eddy_batch_validate_with(p, len, NULL, NULL, &s), 0);
    EXPECT_EQ_INT(eddy_batch_validate_with(p, len, NULL, NULL, &s), 0);
    EXPECT_EQ_INT(eddy_batch_validate_with(p, len, NULL, NULL, NULL), 0);
    eddy_record_scratch_deinit(&s);
    free(p);
}

int main(void)
{
    RUN(good_batches_pass_with_info);
    RUN(crc_mismatch_is_corrupt_message);
    RUN(framing_one_batch_exactly);
    RUN(header_rules);
    RUN(zstd_needs_produce_v7);
    RUN(size_limits);
    RUN(record_count_and_offset_deltas);
    RUN(malformed_records_are_corrupt);
    RUN(decompression_is_bounded);
    RUN(corrupt_compressed_streams);
    RUN(threads_have_their_own_scratch);
    RUN(explicit_and_temporary_scratch);
    eddy_batch_validate_release();
    return test_summary();
}
