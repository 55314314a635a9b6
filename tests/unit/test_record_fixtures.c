/* The independent oracle: batches written by kafka-python (every codec,
 * snappy both raw and xerial-framed, a LogAppendTime batch, an idempotent
 * transactional batch, segment slices of several batches), with what
 * kafka-python reads back from them in manifest.txt. eddy's batch iterator,
 * record iterator, header iterator and validation must read exactly the
 * same. Regenerate with tools/gen_record_fixtures.py. */
#include <stdint.h>

#include "record/records.h"
#include "record/validate.h"
#include "test.h"
#include "test_record_util.h"

/* Walks the manifest, checking the files line by line. */
typedef struct walk {
    eddy_record_scratch scratch;
    uint8_t *data; /* the current file */
    size_t len;
    char name[256];
    eddy_batch_iter bi;
    long long want_batches, want_rest, want_validate;
    int batches;
    bool in_batch;
    eddy_record_iter ri;
    bool in_record;
    eddy_record rec;
    eddy_header_iter hi;
    int files, records, headers;
    int total_records;
    int64_t ts_min, ts_max; /* of the records of a single-batch file */
} walk;

static void end_record(walk *w)
{
    if (w->in_record) {
        eddy_record_header h;
        if (eddy_header_iter_next(&w->hi, &h)) {
            TEST_FAIL_AT("%s: more headers than kafka-python saw", w->name);
            return;
        }
        w->in_record = false;
    }
}

static void end_batch(walk *w)
{
    end_record(w);
    if (w->in_batch) {
        eddy_record rec;
        bool more = eddy_record_iter_next(&w->ri, &rec);
        int err = w->ri.err;
        eddy_record_iter_deinit(&w->ri);
        w->in_batch = false;
        if (more || err) {
            TEST_FAIL_AT("%s: batch does not end cleanly (more %d, err %d)", w->name, more, err);
            return;
        }
    }
}

static void end_file(walk *w)
{
    end_batch(w);
    if (!w->data) {
        return;
    }
    const uint8_t *b;
    eddy_batch_header h;
    EXPECT_TRUE(!eddy_batch_iter_next(&w->bi, &b, &h));
    EXPECT_EQ_INT(w->bi.err, 0);
    EXPECT_EQ_INT(w->batches, w->want_batches);
    EXPECT_EQ_INT(eddy_batch_iter_rest(&w->bi), w->want_rest);

    /* The whole file as one partition's Produce records. */
    eddy_batch_limits lim = EDDY_BATCH_LIMITS_DEFAULT;
    eddy_batch_info info;
    int rc = eddy_batch_validate(w->data, w->len, &lim, &info);
    if (rc != w->want_validate) {
        TEST_FAIL_AT("%s: validate %d (%s), want %lld", w->name, rc, eddy_err_name(rc),
                     w->want_validate);
        return;
    }
    if (rc == 0) {
        EXPECT_EQ_INT(info.record_count, w->records);
        EXPECT_EQ_INT(info.min_timestamp, w->ts_min);
        EXPECT_EQ_INT(info.max_timestamp, w->ts_max);
        EXPECT_EQ_INT(info.batch_bytes, w->len);
    }
    free(w->data);
    w->data = NULL;
}

static void on_file(walk *w, const char *line)
{
    end_file(w);
    if (test_failed_now) {
        return;
    }
    EXPECT_TRUE(trec_field(line, "name", w->name, sizeof w->name) != NULL);
    w->data = trec_fixture(w->name, &w->len);
    if (!w->data) {
        TEST_FAIL_AT("cannot read fixture %s", w->name);
        return;
    }
    eddy_batch_iter_init(&w->bi, w->data, w->len);
    w->want_batches = trec_int(line, "batches");
    w->want_rest = trec_int(line, "rest");
    w->want_validate = trec_int(line, "validate");
    w->batches = 0;
    w->records = 0;
    w->ts_min = INT64_MAX;
    w->ts_max = INT64_MIN;
    w->files++;
}

static void on_batch(walk *w, const char *line)
{
    end_batch(w);
    if (test_failed_now) {
        return;
    }
    const uint8_t *b;
    eddy_batch_header h;
    if (!eddy_batch_iter_next(&w->bi, &b, &h)) {
        TEST_FAIL_AT("%s: batch %d missing (err %d)", w->name, w->batches, w->bi.err);
        return;
    }
    w->batches++;
    EXPECT_EQ_INT(eddy_batch_codec(&h), trec_int(line, "codec"));
    EXPECT_EQ_INT(h.attributes, trec_int(line, "attributes"));
    EXPECT_EQ_INT(h.records_count, trec_int(line, "count"));
    EXPECT_EQ_INT(h.base_offset, trec_int(line, "base_offset"));
    EXPECT_EQ_INT(h.last_offset_delta, trec_int(line, "last_offset_delta"));
    EXPECT_EQ_INT(h.base_timestamp, trec_int(line, "base_timestamp"));
    EXPECT_EQ_INT(h.max_timestamp, trec_int(line, "max_timestamp"));
    EXPECT_EQ_INT(h.producer_id, trec_int(line, "producer_id"));
    EXPECT_EQ_INT(h.producer_epoch, trec_int(line, "producer_epoch"));
    EXPECT_EQ_INT(h.base_sequence, trec_int(line, "base_sequence"));
    EXPECT_EQ_INT(eddy_batch_crc_ok(b, eddy_batch_total_size(&h)), trec_int(line, "crc_ok"));
    /* Alternate between the shared scratch and the iterator's own buffer. */
    eddy_record_scratch *s = w->batches % 2 ? &w->scratch : NULL;
    int rc = eddy_record_iter_init(&w->ri, b, eddy_batch_total_size(&h), s, 0);
    w->in_batch = true;
    EXPECT_EQ_INT(rc, 0);
}

static void on_record(walk *w, const char *line)
{
    end_record(w);
    if (test_failed_now) {
        return;
    }
    EXPECT_TRUE(w->in_batch);
    if (!eddy_record_iter_next(&w->ri, &w->rec)) {
        TEST_FAIL_AT("%s: record missing (err %d)", w->name, w->ri.err);
        return;
    }
    w->records++;
    w->total_records++;
    EXPECT_EQ_INT(w->rec.offset, trec_int(line, "offset"));
    EXPECT_EQ_INT(w->rec.timestamp, trec_int(line, "timestamp"));
    EXPECT_EQ_INT(w->rec.header_count, trec_int(line, "headers"));
    int64_t ts = (int64_t)((uint64_t)w->ri.hdr.base_timestamp + (uint64_t)w->rec.timestamp_delta);
    w->ts_min = ts < w->ts_min ? ts : w->ts_min;
    w->ts_max = ts > w->ts_max ? ts : w->ts_max;
    trec_bytes key, value;
    EXPECT_TRUE(trec_bytes_field(line, "key", &key));
    EXPECT_TRUE(trec_bytes_field(line, "value", &value));
    bool kok = trec_bytes_match(&key, w->rec.key.ptr, w->rec.key.len);
    bool vok = trec_bytes_match(&value, w->rec.value.ptr, w->rec.value.len);
    trec_bytes_free(&key);
    trec_bytes_free(&value);
    if (!kok || !vok) {
        TEST_FAIL_AT("%s: offset %" PRId64 ": key ok %d value ok %d", w->name, w->rec.offset, kok,
                     vok);
        return;
    }
    eddy_header_iter_init(&w->hi, &w->rec);
    w->in_record = true;
}

static void on_header(walk *w, const char *line)
{
    EXPECT_TRUE(w->in_record);
    eddy_record_header h;
    if (!eddy_header_iter_next(&w->hi, &h)) {
        TEST_FAIL_AT("%s: header missing at offset %" PRId64, w->name, w->rec.offset);
        return;
    }
    w->headers++;
    trec_bytes key, value;
    EXPECT_TRUE(trec_bytes_field(line, "key", &key));
    EXPECT_TRUE(trec_bytes_field(line, "value", &value));
    bool ok = trec_bytes_match(&key, h.key.ptr, h.key.len) &&
              trec_bytes_match(&value, h.value.ptr, h.value.len);
    trec_bytes_free(&key);
    trec_bytes_free(&value);
    if (!ok) {
        TEST_FAIL_AT("%s: header differs at offset %" PRId64, w->name, w->rec.offset);
    }
}

TEST(fixtures_read_as_kafka_python_reads_them)
{
    FILE *f = fopen(EDDY_RECORD_DATA "/manifest.txt", "r");
    EXPECT_TRUE(f != NULL);
    walk w;
    memset(&w, 0, sizeof w);
    eddy_record_scratch_init(&w.scratch);
    char *line = NULL;
    size_t cap = 0;
    while (!test_failed_now && getline(&line, &cap, f) > 0) {
        if (strncmp(line, "file ", 5) == 0) {
            on_file(&w, line);
        } else if (strncmp(line, "batch ", 6) == 0) {
            on_batch(&w, line);
        } else if (strncmp(line, "record ", 7) == 0) {
            on_record(&w, line);
        } else if (strncmp(line, "header ", 7) == 0) {
            on_header(&w, line);
        }
    }
    if (!test_failed_now) {
        end_file(&w);
    }
    end_batch(&w);
    free(w.data);
    free(line);
    fclose(f);
    eddy_record_scratch_deinit(&w.scratch);
    if (!test_failed_now) {
        printf("    %d files, %d records, %d headers\n", w.files, w.total_records, w.headers);
    }
    EXPECT_TRUE(w.files >= 14);
}

/* Every fixture batch decompresses the same records whatever the codec:
 * compare each compressed batch's records with none.bin's byte for byte. */
TEST(codecs_agree_with_uncompressed)
{
    static const char *names[] = {"gzip.bin", "snappy-xerial.bin", "snappy-raw.bin", "lz4.bin",
                                  "zstd.bin"};
    size_t rlen;
    uint8_t *ref = trec_fixture("none.bin", &rlen);
    EXPECT_TRUE(ref != NULL);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len;
        uint8_t *data = trec_fixture(names[i], &len);
        EXPECT_TRUE(data != NULL);
        eddy_record_scratch s;
        eddy_record_scratch_init(&s);
        EXPECT_EQ_INT(eddy_codec_decompress(&s.codec, data[EDDY_BATCH_OFF_ATTRIBUTES + 1] & 7,
                                            data + EDDY_BATCH_HEADER_SIZE,
                                            len - EDDY_BATCH_HEADER_SIZE, 0, &s.buf),
                      0);
        EXPECT_EQ_MEM(s.buf.data, s.buf.len, ref + EDDY_BATCH_HEADER_SIZE,
                      rlen - EDDY_BATCH_HEADER_SIZE);
        eddy_record_scratch_deinit(&s);
        free(data);
    }
    free(ref);
}

int main(void)
{
    RUN(fixtures_read_as_kafka_python_reads_them);
    RUN(codecs_agree_with_uncompressed);
    eddy_batch_validate_release();
    return test_summary();
}
