/* The batch builder and the iterators, against each other: batches built
 * with every codec read back record for record, pass validation, and carry
 * the header fields asked for; the iterators stop with the right error on
 * broken input. (kafka-python reads the builder's batches in
 * test_record_kafka_python.py; the fixtures test reads kafka-python's.) */
#include <stdint.h>

#include "core/error.h"
#include "record/builder.h"
#include "record/records.h"
#include "record/validate.h"
#include "test.h"

#define T0 INT64_C(1700000000000)

typedef struct sample {
    int64_t ts;
    const char *key; /* NULL = null */
    int32_t vlen;    /* -1 = null; the value is vlen bytes of a pattern */
    int nheaders;
} sample;

static const sample samples[] = {
    {T0, "key-0", 10, 2},    {T0 + 5, NULL, 300, 0},       {T0 - 1000, "", 0, 1},
    {T0 + 7, "tomb", -1, 0}, {T0 + 100, "big", 100000, 3}, {T0 + 3, "last", 1, 0},
};
#define NSAMPLES (sizeof samples / sizeof samples[0])

static uint8_t pattern[100000];

static void header_of(int i, int j, eddy_record_header *h)
{
    static char keys[8][16];
    snprintf(keys[j], sizeof keys[j], "h%d-%d", i, j);
    h->key.ptr = (const uint8_t *)keys[j];
    h->key.len = (int32_t)strlen(keys[j]);
    h->value.ptr = pattern + j;
    h->value.len = j == 1 ? -1 : j; /* the second header's value is null */
}

static int add_samples(eddy_batch_builder *bb)
{
    for (size_t i = 0; i < NSAMPLES; i++) {
        const sample *s = &samples[i];
        eddy_record_header hs[4];
        for (int j = 0; j < s->nheaders; j++) {
            header_of((int)i, j, &hs[j]);
        }
        int rc = eddy_batch_builder_add(bb, s->ts, s->key, s->key ? (int32_t)strlen(s->key) : -1,
                                        pattern, s->vlen, hs, (size_t)s->nheaders);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* Reads batch[0..len) back and compares with samples. */
static void expect_samples(const uint8_t *batch, size_t len, int64_t base_offset)
{
    eddy_record_iter it;
    EXPECT_EQ_INT(eddy_record_iter_init(&it, batch, len, NULL, 0), 0);
    eddy_record rec;
    for (size_t i = 0; i < NSAMPLES; i++) {
        const sample *s = &samples[i];
        if (!eddy_record_iter_next(&it, &rec)) {
            TEST_FAIL_AT("record %zu missing (err %d)", i, it.err);
            eddy_record_iter_deinit(&it);
            return;
        }
        EXPECT_EQ_INT(rec.offset, base_offset + (int64_t)i);
        EXPECT_EQ_INT(rec.offset_delta, i);
        EXPECT_EQ_INT(rec.timestamp, s->ts);
        if (s->key) {
            EXPECT_EQ_MEM(rec.key.ptr, rec.key.len, s->key, strlen(s->key));
        } else {
            EXPECT_TRUE(eddy_record_bytes_is_null(rec.key));
        }
        EXPECT_EQ_INT(rec.value.len, s->vlen);
        if (s->vlen > 0) {
            EXPECT_EQ_MEM(rec.value.ptr, rec.value.len, pattern, (size_t)s->vlen);
        }
        EXPECT_EQ_INT(rec.header_count, s->nheaders);
        eddy_header_iter hi;
        eddy_header_iter_init(&hi, &rec);
        eddy_record_header h, want;
        for (int j = 0; j < s->nheaders; j++) {
            EXPECT_TRUE(eddy_header_iter_next(&hi, &h));
            header_of((int)i, j, &want);
            EXPECT_EQ_MEM(h.key.ptr, h.key.len, want.key.ptr, (size_t)want.key.len);
            EXPECT_EQ_INT(h.value.len, want.value.len);
            if (want.value.len > 0) {
                EXPECT_EQ_MEM(h.value.ptr, h.value.len, want.value.ptr, (size_t)want.value.len);
            }
        }
        EXPECT_TRUE(!eddy_header_iter_next(&hi, &h));
    }
    EXPECT_TRUE(!eddy_record_iter_next(&it, &rec));
    EXPECT_EQ_INT(it.err, 0);
    eddy_record_iter_deinit(&it);
}

TEST(every_codec_round_trips)
{
    for (int c = EDDY_CODEC_NONE; c <= EDDY_CODEC_ZSTD; c++) {
        for (int xerial = 0; xerial < (c == EDDY_CODEC_SNAPPY ? 2 : 1); xerial++) {
            eddy_batch_builder bb;
            eddy_batch_builder_init(&bb, (eddy_codec)c, T0);
            bb.codec_opts.snappy_xerial = xerial;
            EXPECT_EQ_INT(add_samples(&bb), 0);
            EXPECT_EQ_INT(eddy_batch_builder_count(&bb), NSAMPLES);
            eddy_buf out;
            eddy_buf_init(&out, 0);
            EXPECT_EQ_INT(eddy_batch_builder_finish(&bb, &out), 0);
            eddy_batch_builder_deinit(&bb);

            eddy_batch_header h;
            EXPECT_EQ_INT(eddy_batch_header_parse(out.data, out.len, &h), 0);
            EXPECT_EQ_INT(eddy_batch_total_size(&h), out.len);
            EXPECT_EQ_INT(eddy_batch_codec(&h), c);
            EXPECT_EQ_INT(h.records_count, NSAMPLES);
            EXPECT_EQ_INT(h.last_offset_delta, NSAMPLES - 1);
            EXPECT_EQ_INT(h.base_timestamp, T0);
            EXPECT_EQ_INT(h.max_timestamp, T0 + 100);
            EXPECT_EQ_INT(h.producer_id, -1);
            EXPECT_EQ_INT(h.producer_epoch, -1);
            EXPECT_EQ_INT(h.base_sequence, -1);
            EXPECT_TRUE(eddy_batch_crc_ok(out.data, out.len));
            if (xerial) {
                EXPECT_EQ_MEM(out.data + EDDY_BATCH_HEADER_SIZE, 8, "\x82SNAPPY\0", 8);
            }
            eddy_batch_info info;
            EXPECT_EQ_INT(eddy_batch_validate(out.data, out.len, NULL, &info), 0);
            EXPECT_EQ_INT(info.min_timestamp, T0 - 1000);
            EXPECT_EQ_INT(info.max_timestamp, T0 + 100);
            expect_samples(out.data, out.len, 0);
            if (test_failed_now) {
                printf("    codec %s xerial %d\n", eddy_codec_name(c), xerial);
            }
            eddy_buf_deinit(&out);
        }
    }
}

TEST(producer_fields_flags_and_offsets)
{
    eddy_codec_ctx ctx;
    eddy_codec_ctx_init(&ctx);
    eddy_batch_builder bb;
    eddy_batch_builder_init(&bb, EDDY_CODEC_ZSTD, T0);
    bb.codec_ctx = &ctx;
    eddy_batch_builder_set_producer(&bb, 77, 2, 1000);
    bb.flags = EDDY_BATCH_TRANSACTIONAL;
    bb.base_offset = 500;
    bb.partition_leader_epoch = 3;
    EXPECT_EQ_INT(add_samples(&bb), 0);
    eddy_buf out;
    eddy_buf_init(&out, 0);
    eddy_buf_append(&out, "junk", 4); /* finish appends */
    EXPECT_EQ_INT(eddy_batch_builder_finish(&bb, &out), 0);
    const uint8_t *b = out.data + 4;
    size_t len = out.len - 4;
    eddy_batch_header h;
    EXPECT_EQ_INT(eddy_batch_header_parse(b, len, &h), 0);
    EXPECT_EQ_INT(h.producer_id, 77);
    EXPECT_EQ_INT(h.producer_epoch, 2);
    EXPECT_EQ_INT(h.base_sequence, 1000);
    EXPECT_EQ_INT(h.attributes, EDDY_BATCH_TRANSACTIONAL | EDDY_CODEC_ZSTD);
    EXPECT_EQ_INT(h.base_offset, 500);
    EXPECT_EQ_INT(h.partition_leader_epoch, 3);
    EXPECT_EQ_INT(eddy_batch_validate(b, len, NULL, NULL), 0);
    expect_samples(b, len, 500);

    /* A second batch after reset; the two walk as a segment slice. */
    eddy_batch_builder_reset(&bb, T0 + 10);
    bb.base_offset = 500 + NSAMPLES;
    EXPECT_EQ_INT(eddy_batch_builder_add(&bb, T0 + 10, "k", 1, "v", 1, NULL, 0), 0);
    EXPECT_EQ_INT(eddy_batch_builder_finish(&bb, &out), 0);
    eddy_batch_iter bi;
    eddy_batch_iter_init(&bi, out.data + 4, out.len - 4);
    const uint8_t *p;
    EXPECT_TRUE(eddy_batch_iter_next(&bi, &p, &h));
    EXPECT_TRUE(p == out.data + 4);
    EXPECT_TRUE(eddy_batch_iter_next(&bi, &p, &h));
    EXPECT_EQ_INT(h.base_offset, 500 + NSAMPLES);
    EXPECT_EQ_INT(h.records_count, 1);
    EXPECT_TRUE(!eddy_batch_iter_next(&bi, &p, &h));
    EXPECT_EQ_INT(bi.err, 0);
    EXPECT_EQ_INT(eddy_batch_iter_rest(&bi), 0);
    eddy_buf_deinit(&out);
    eddy_batch_builder_deinit(&bb);
    eddy_codec_ctx_deinit(&ctx);
}

TEST(builder_errors)
{
    eddy_batch_builder bb;
    eddy_batch_builder_init(&bb, EDDY_CODEC_NONE, T0);
    eddy_buf out;
    eddy_buf_init(&out, 0);
    EXPECT_EQ_INT(eddy_batch_builder_finish(&bb, &out), EDDY_ERR_INVALID_ARG);
    eddy_record_header bad = {.key = {NULL, -1}, .value = {NULL, -1}};
    EXPECT_EQ_INT(eddy_batch_builder_add(&bb, T0, NULL, -1, NULL, -1, &bad, 1),
                  EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_batch_builder_add(&bb, T0, NULL, -1, NULL, -1, NULL, 0),
                  EDDY_ERR_INVALID_ARG); /* sticky */
    EXPECT_EQ_INT(eddy_batch_builder_finish(&bb, &out), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(out.len, 0);
    eddy_batch_builder_reset(&bb, T0);
    EXPECT_EQ_INT(eddy_batch_builder_add(&bb, T0, NULL, -1, NULL, -1, NULL, 0), 0);
    /* An output buffer too small for the batch: out is left as it was. */
    eddy_buf small;
    eddy_buf_init(&small, 40);
    EXPECT_EQ_INT(eddy_batch_builder_finish(&bb, &small), EDDY_ERR_LIMIT);
    EXPECT_EQ_INT(small.len, 0);
    eddy_buf_deinit(&small);
    /* An unknown codec. */
    bb.codec = (eddy_codec)6;
    EXPECT_EQ_INT(eddy_batch_builder_finish(&bb, &out), EDDY_ERR_UNSUPPORTED);
    EXPECT_EQ_INT(out.len, 0);
    eddy_buf_deinit(&out);
    eddy_batch_builder_deinit(&bb);
}

/* Builds a one-codec sample batch into out. */
static void sample_batch(eddy_buf *out, eddy_codec codec)
{
    eddy_batch_builder bb;
    eddy_batch_builder_init(&bb, codec, T0);
    add_samples(&bb);
    eddy_buf_reset(out);
    eddy_batch_builder_finish(&bb, out);
    eddy_batch_builder_deinit(&bb);
}

TEST(log_append_time_reads_max_timestamp)
{
    eddy_buf out;
    eddy_buf_init(&out, 0);
    sample_batch(&out, EDDY_CODEC_LZ4);
    eddy_batch_set_log_append_time(out.data, out.len, T0 + 5555);
    EXPECT_TRUE(eddy_batch_crc_ok(out.data, out.len));
    eddy_record_iter it;
    EXPECT_EQ_INT(eddy_record_iter_init(&it, out.data, out.len, NULL, 0), 0);
    eddy_record rec;
    int n = 0;
    while (eddy_record_iter_next(&it, &rec)) {
        EXPECT_EQ_INT(rec.timestamp, T0 + 5555);
        n++;
    }
    EXPECT_EQ_INT(it.err, 0);
    EXPECT_EQ_INT(n, NSAMPLES);
    eddy_record_iter_deinit(&it);
    eddy_buf_deinit(&out);
}

TEST(record_iter_errors)
{
    eddy_buf out;
    eddy_buf_init(&out, 0);
    eddy_record_scratch scratch;
    eddy_record_scratch_init(&scratch);
    eddy_record_iter it;
    eddy_record rec;
    for (int c = EDDY_CODEC_NONE; c <= EDDY_CODEC_ZSTD; c++) {
        sample_batch(&out, (eddy_codec)c);
        /* Shorter than the batch says. */
        EXPECT_EQ_INT(eddy_record_iter_init(&it, out.data, out.len - 1, &scratch, 0),
                      EDDY_ERR_CORRUPT_MESSAGE);
        eddy_record_iter_deinit(&it);
        /* Decompression over the limit. */
        if (c != EDDY_CODEC_NONE) {
            EXPECT_EQ_INT(eddy_record_iter_init(&it, out.data, out.len, &scratch, 1000),
                          EDDY_ERR_CORRUPT_MESSAGE);
            eddy_record_iter_deinit(&it);
        }
        /* One more record counted than present: all records, then an error. */
        uint8_t *p = out.data;
        eddy_store_be32(p + EDDY_BATCH_OFF_RECORDS_COUNT, NSAMPLES + 1);
        EXPECT_EQ_INT(eddy_record_iter_init(&it, p, out.len, &scratch, 0), 0);
        int n = 0;
        while (eddy_record_iter_next(&it, &rec)) {
            n++;
        }
        EXPECT_EQ_INT(n, NSAMPLES);
        EXPECT_EQ_INT(it.err, EDDY_ERR_CORRUPT_MESSAGE);
        EXPECT_TRUE(!eddy_record_iter_next(&it, &rec)); /* sticky */
        eddy_record_iter_deinit(&it);
        /* One fewer: the last record is left over. */
        eddy_store_be32(p + EDDY_BATCH_OFF_RECORDS_COUNT, NSAMPLES - 1);
        EXPECT_EQ_INT(eddy_record_iter_init(&it, p, out.len, &scratch, 0), 0);
        n = 0;
        while (eddy_record_iter_next(&it, &rec)) {
            n++;
        }
        EXPECT_EQ_INT(n, NSAMPLES - 1);
        EXPECT_EQ_INT(it.err, EDDY_ERR_CORRUPT_MESSAGE);
        eddy_record_iter_deinit(&it);
    }
    /* Codec 6, magic 1, too short for a header. */
    sample_batch(&out, EDDY_CODEC_NONE);
    out.data[EDDY_BATCH_OFF_ATTRIBUTES + 1] = 6;
    EXPECT_EQ_INT(eddy_record_iter_init(&it, out.data, out.len, NULL, 0),
                  EDDY_ERR_UNSUPPORTED_COMPRESSION_TYPE);
    EXPECT_TRUE(!eddy_record_iter_next(&it, &rec));
    eddy_record_iter_deinit(&it);
    out.data[EDDY_BATCH_OFF_MAGIC] = 1;
    EXPECT_EQ_INT(eddy_record_iter_init(&it, out.data, out.len, NULL, 0),
                  EDDY_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT);
    eddy_record_iter_deinit(&it);
    EXPECT_EQ_INT(eddy_record_iter_init(&it, out.data, 60, NULL, 0), EDDY_ERR_CORRUPT_MESSAGE);
    eddy_record_iter_deinit(&it);
    EXPECT_EQ_INT(eddy_record_iter_init(&it, NULL, 0, NULL, 0), EDDY_ERR_CORRUPT_MESSAGE);
    eddy_record_iter_deinit(&it);
    eddy_record_scratch_deinit(&scratch);
    eddy_buf_deinit(&out);
}

TEST(batch_iter_edges)
{
    eddy_batch_iter bi;
    const uint8_t *p;
    eddy_batch_header h;
    eddy_batch_iter_init(&bi, NULL, 10);
    EXPECT_TRUE(!eddy_batch_iter_next(&bi, &p, &h));
    EXPECT_EQ_INT(bi.err, 0);
    EXPECT_EQ_INT(eddy_batch_iter_rest(&bi), 0);

    eddy_buf out;
    eddy_buf_init(&out, 0);
    sample_batch(&out, EDDY_CODEC_SNAPPY);
    size_t one = out.len;
    eddy_buf_append(&out, out.data, one);
    /* Truncated second batch, at several cuts: one batch, then the rest. */
    static const size_t cuts[] = {1, 11, 12, 17, 60, 61};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        eddy_batch_iter_init(&bi, out.data, one + cuts[i]);
        EXPECT_TRUE(eddy_batch_iter_next(&bi, &p, &h));
        EXPECT_TRUE(!eddy_batch_iter_next(&bi, &p, &h));
        EXPECT_EQ_INT(bi.err, 0);
        EXPECT_EQ_INT(eddy_batch_iter_rest(&bi), cuts[i]);
    }
    /* A batchLength under the header size. */
    eddy_store_be32(out.data + one + EDDY_BATCH_OFF_LENGTH, 20);
    eddy_batch_iter_init(&bi, out.data, out.len);
    EXPECT_TRUE(eddy_batch_iter_next(&bi, &p, &h));
    EXPECT_TRUE(!eddy_batch_iter_next(&bi, &p, &h));
    EXPECT_EQ_INT(bi.err, EDDY_ERR_CORRUPT_MESSAGE);
    EXPECT_TRUE(!eddy_batch_iter_next(&bi, &p, &h)); /* sticky */
    /* An old message set. */
    eddy_store_be32(out.data + one + EDDY_BATCH_OFF_LENGTH, (uint32_t)(one - 12));
    out.data[one + EDDY_BATCH_OFF_MAGIC] = 1;
    eddy_batch_iter_init(&bi, out.data, out.len);
    EXPECT_TRUE(eddy_batch_iter_next(&bi, &p, &h));
    EXPECT_TRUE(!eddy_batch_iter_next(&bi, &p, &h));
    EXPECT_EQ_INT(bi.err, EDDY_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT);
    eddy_buf_deinit(&out);
}

TEST(header_iter_on_unchecked_bytes)
{
    /* A record that did not come from eddy_record_read: the header iterator
     * stops instead of reading past its bytes. */
    eddy_record rec;
    memset(&rec, 0, sizeof rec);
    static const uint8_t junk[] = {0x02, 'a', 0x7f};
    rec.headers = junk;
    rec.headers_len = sizeof junk;
    rec.header_count = 5;
    eddy_header_iter hi;
    eddy_header_iter_init(&hi, &rec);
    eddy_record_header h;
    EXPECT_TRUE(!eddy_header_iter_next(&hi, &h));
    EXPECT_TRUE(!eddy_header_iter_next(&hi, &h));
}

int main(void)
{
    for (size_t i = 0; i < sizeof pattern; i++) {
        pattern[i] = (uint8_t)(i * 7 + i / 251);
    }
    RUN(every_codec_round_trips);
    RUN(producer_fields_flags_and_offsets);
    RUN(builder_errors);
    RUN(log_append_time_reads_max_timestamp);
    RUN(record_iter_errors);
    RUN(batch_iter_edges);
    RUN(header_iter_on_unchecked_bytes);
    eddy_batch_validate_release();
    return test_summary();
}
