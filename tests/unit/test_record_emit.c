/* Helper of test_record_kafka_python.py (not a test by itself): builds
 * batches with eddy's builder, one file per codec (snappy raw and xerial),
 * an idempotent transactional batch, a LogAppendTime batch and a segment
 * slice of all of them, and writes them to the folder given as argv[1] with
 * a manifest.txt of what they must contain, in the format of
 * tools/gen_record_fixtures.py. The manifest comes from the builder's
 * inputs, not from reading the batches back; kafka-python does the
 * reading. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crc.h"
#include "record/builder.h"

#define T0 INT64_C(1700000000000)

typedef struct rec {
    int64_t ts;
    const char *key; /* NULL = null */
    int32_t vlen;    /* -1 = null; bytes from the value pattern */
    int nheaders;
} rec;

static const rec recs[] = {
    {T0, "key-0", 40, 2},
    {T0 + 5, NULL, 300, 0},
    {T0 - 1000, "", 0, 1},
    {T0 + 7, "tomb", -1, 0},
    {T0 + 100, "big", 150000, 3},
    {T0 + 70000, "later", 5, 0},
    {T0 + 3, "\xc3\xa9t\xc3\xa9", 12, 1},
};
#define NRECS ((int)(sizeof recs / sizeof recs[0]))

static uint8_t value[150000];

/* Header j of record i: keys are UTF-8 (kafka-python decodes them). */
static void header_of(int i, int j, char *key, size_t cap, eddy_record_header *h)
{
    snprintf(key, cap, j == 2 ? "cl\xc3\xa9-%d-%d" : "h%d-%d", i, j);
    h->key.ptr = (const uint8_t *)key;
    h->key.len = (int32_t)strlen(key);
    h->value.ptr = value + 100 + j;
    h->value.len = j == 1 ? -1 : 3 * j;
}

static void put_hex(FILE *f, const uint8_t *p, int32_t len)
{
    if (len < 0) {
        fputc('-', f);
    } else if (len > 1024) {
        fprintf(f, "#%d:%08x", len, eddy_crc32c(0, p, (size_t)len));
    } else {
        for (int32_t i = 0; i < len; i++) {
            fprintf(f, "%02x", p[i]);
        }
    }
}

typedef struct spec {
    const char *name;
    eddy_codec codec;
    bool xerial;
    bool idempotent;
    bool log_append;
} spec;

static const spec specs[] = {
    {"none", EDDY_CODEC_NONE, false, false, false},
    {"gzip", EDDY_CODEC_GZIP, false, false, false},
    {"snappy-raw", EDDY_CODEC_SNAPPY, false, false, false},
    {"snappy-xerial", EDDY_CODEC_SNAPPY, true, false, false},
    {"lz4", EDDY_CODEC_LZ4, false, false, false},
    {"zstd", EDDY_CODEC_ZSTD, false, false, false},
    {"idempotent", EDDY_CODEC_GZIP, false, true, false},
    {"logappend", EDDY_CODEC_LZ4, false, false, true},
};
#define NSPECS ((int)(sizeof specs / sizeof specs[0]))

#define LOG_APPEND_NOW (T0 + 999999)

/* Builds spec s's batch with base offset base into out; describes it. */
static int build(const spec *s, int64_t base, eddy_buf *out, FILE *m)
{
    eddy_batch_builder bb;
    eddy_batch_builder_init(&bb, s->codec, recs[0].ts);
    bb.codec_opts.snappy_xerial = s->xerial;
    bb.base_offset = base;
    if (s->idempotent) {
        eddy_batch_builder_set_producer(&bb, 4242, 7, 100);
        bb.flags = EDDY_BATCH_TRANSACTIONAL;
    }
    int64_t max_ts = recs[0].ts;
    for (int i = 0; i < NRECS; i++) {
        eddy_record_header hs[4];
        char keys[4][32];
        for (int j = 0; j < recs[i].nheaders; j++) {
            header_of(i, j, keys[j], sizeof keys[j], &hs[j]);
        }
        const char *k = recs[i].key;
        if (eddy_batch_builder_add(&bb, recs[i].ts, k, k ? (int32_t)strlen(k) : -1, value,
                                   recs[i].vlen, hs, (size_t)recs[i].nheaders) != 0) {
            return -1;
        }
        max_ts = recs[i].ts > max_ts ? recs[i].ts : max_ts;
    }
    size_t start = out->len;
    int rc = eddy_batch_builder_finish(&bb, out);
    eddy_batch_builder_deinit(&bb);
    if (rc) {
        return rc;
    }
    int attributes = s->codec | (s->idempotent ? EDDY_BATCH_TRANSACTIONAL : 0);
    if (s->log_append) {
        eddy_batch_set_log_append_time(out->data + start, out->len - start, LOG_APPEND_NOW);
        attributes |= EDDY_BATCH_TIMESTAMP_LOG_APPEND;
        max_ts = LOG_APPEND_NOW;
    }
    fprintf(m,
            "batch codec=%d attributes=%d count=%d base_offset=%" PRId64
            " last_offset_delta=%d base_timestamp=%" PRId64 " max_timestamp=%" PRId64
            " producer_id=%d producer_epoch=%d base_sequence=%d crc_ok=1\n",
            s->codec, attributes, NRECS, base, NRECS - 1, recs[0].ts, max_ts,
            s->idempotent ? 4242 : -1, s->idempotent ? 7 : -1, s->idempotent ? 100 : -1);
    for (int i = 0; i < NRECS; i++) {
        const char *k = recs[i].key;
        fprintf(m, "record offset=%" PRId64 " timestamp=%" PRId64 " key=", base + i,
                s->log_append ? LOG_APPEND_NOW : recs[i].ts);
        put_hex(m, (const uint8_t *)k, k ? (int32_t)strlen(k) : -1);
        fprintf(m, " value=");
        put_hex(m, value, recs[i].vlen);
        fprintf(m, " headers=%d\n", recs[i].nheaders);
        for (int j = 0; j < recs[i].nheaders; j++) {
            eddy_record_header h;
            char key[32];
            header_of(i, j, key, sizeof key, &h);
            fprintf(m, "header key=");
            put_hex(m, h.key.ptr, h.key.len);
            fprintf(m, " value=");
            put_hex(m, h.value.ptr, h.value.len);
            fprintf(m, "\n");
        }
    }
    return 0;
}

static int write_file(const char *dir, const char *name, const eddy_buf *b)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        return -1;
    }
    size_t n = fwrite(b->data, 1, b->len, f);
    return fclose(f) == 0 && n == b->len ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < sizeof value; i++) {
        value[i] = (uint8_t)("0123456789abcdef"[i % 16] + (i / 4096) % 3);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.txt", argv[1]);
    FILE *m = fopen(path, "w");
    if (!m) {
        perror(path);
        return 1;
    }
    int rc = 0;
    eddy_buf one, segment;
    eddy_buf_init(&one, 0);
    eddy_buf_init(&segment, 0);
    for (int i = 0; i < NSPECS && rc == 0; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s.bin", specs[i].name);
        fprintf(m, "file name=%s batches=1 rest=0\n", name);
        eddy_buf_reset(&one);
        rc = build(&specs[i], 0, &one, m) || write_file(argv[1], name, &one);
    }
    /* The segment slice: every batch again, offsets following on. */
    fprintf(m, "file name=segment.bin batches=%d rest=0\n", NSPECS);
    for (int i = 0; i < NSPECS && rc == 0; i++) {
        rc = build(&specs[i], (int64_t)i * NRECS, &segment, m);
    }
    rc = rc || write_file(argv[1], "segment.bin", &segment);
    eddy_buf_deinit(&one);
    eddy_buf_deinit(&segment);
    fclose(m);
    if (rc) {
        fprintf(stderr, "building the batches failed\n");
        return 1;
    }
    return 0;
}
