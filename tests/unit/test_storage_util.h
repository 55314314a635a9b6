/* Helpers for the storage tests: a tiny builder of valid uncompressed v2
 * record batches (the full builder lives in src/record; this one stays
 * here so that the storage tests depend only on the batch header helpers),
 * synchronous appends, a reader that walks a whole log, and temp folders.
 *
 * Every batch built here carries an id: the first 4 bytes of each record's
 * value, so a test can tell which append a stored batch came from. */
#ifndef EDDY_TEST_STORAGE_UTIL_H
#define EDDY_TEST_STORAGE_UTIL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/crc.h"
#include "core/endian.h"
#include "core/reader.h"
#include "record/batch.h"
#include "storage/fs.h"
#include "storage/storage.h"

typedef struct tb_opts {
    int records;       /* >= 1 */
    int64_t ts;        /* record i has timestamp ts + i */
    int64_t pid;       /* -1: not idempotent */
    int16_t epoch;     /* -1 when not idempotent */
    int32_t seq;       /* base sequence (-1 when not idempotent) */
    uint32_t id;       /* first 4 bytes of every value */
    size_t value_size; /* bytes per value (>= 4) */
} tb_opts;

static inline tb_opts tb_default(uint32_t id)
{
    tb_opts o = {1, 1700000000000LL, -1, -1, -1, id, 16};
    return o;
}

/* Returns a malloc'd batch and its length. */
static inline uint8_t *tb_build(const tb_opts *o, size_t *len)
{
    eddy_buf recs;
    eddy_buf_init(&recs, 0);
    size_t vs = o->value_size < 4 ? 4 : o->value_size;
    uint8_t *val = malloc(vs);
    for (int i = 0; i < o->records; i++) {
        for (size_t k = 0; k < vs; k++) {
            val[k] = (uint8_t)(k * 7 + (size_t)i);
        }
        eddy_store_be32(val, o->id);
        eddy_buf body;
        eddy_buf_init(&body, 0);
        eddy_buf_put_u8(&body, 0);      /* attributes */
        eddy_buf_put_varlong(&body, i); /* timestampDelta */
        eddy_buf_put_varint(&body, i);  /* offsetDelta */
        eddy_buf_put_varint(&body, -1); /* key: null */
        eddy_buf_put_varint(&body, (int32_t)vs);
        eddy_buf_append(&body, val, vs);
        eddy_buf_put_varint(&body, 0); /* headers */
        eddy_buf_put_varint(&recs, (int32_t)body.len);
        eddy_buf_append(&recs, body.data, body.len);
        eddy_buf_deinit(&body);
    }
    free(val);
    size_t total = EDDY_BATCH_HEADER_SIZE + recs.len;
    uint8_t *b = calloc(1, total);
    eddy_store_be64(b + EDDY_BATCH_OFF_BASE_OFFSET, 0);
    eddy_store_be32(b + EDDY_BATCH_OFF_LENGTH, (uint32_t)(total - EDDY_BATCH_LOG_OVERHEAD));
    eddy_store_be32(b + EDDY_BATCH_OFF_LEADER_EPOCH, 0xffffffffu);
    b[EDDY_BATCH_OFF_MAGIC] = 2;
    eddy_store_be16(b + EDDY_BATCH_OFF_ATTRIBUTES, 0);
    eddy_store_be32(b + EDDY_BATCH_OFF_LAST_OFFSET_DELTA, (uint32_t)(o->records - 1));
    eddy_store_be64(b + EDDY_BATCH_OFF_BASE_TIMESTAMP, (uint64_t)o->ts);
    eddy_store_be64(b + EDDY_BATCH_OFF_MAX_TIMESTAMP, (uint64_t)(o->ts + o->records - 1));
    eddy_store_be64(b + EDDY_BATCH_OFF_PRODUCER_ID, (uint64_t)o->pid);
    eddy_store_be16(b + EDDY_BATCH_OFF_PRODUCER_EPOCH, (uint16_t)o->epoch);
    eddy_store_be32(b + EDDY_BATCH_OFF_BASE_SEQUENCE, (uint32_t)o->seq);
    eddy_store_be32(b + EDDY_BATCH_OFF_RECORDS_COUNT, (uint32_t)o->records);
    memcpy(b + EDDY_BATCH_HEADER_SIZE, recs.data, recs.len);
    eddy_buf_deinit(&recs);
    eddy_store_be32(b + EDDY_BATCH_OFF_CRC, eddy_batch_compute_crc(b, total));
    *len = total;
    return b;
}

/* The id of a stored batch (first record's value), or UINT32_MAX. */
static inline uint32_t tb_id(const uint8_t *b, size_t len)
{
    eddy_reader r;
    eddy_reader_init(&r, b + EDDY_BATCH_HEADER_SIZE, len - EDDY_BATCH_HEADER_SIZE);
    (void)eddy_reader_varint(&r); /* length */
    (void)eddy_reader_u8(&r);
    (void)eddy_reader_varlong(&r);
    (void)eddy_reader_varint(&r);
    int32_t klen = eddy_reader_varint(&r);
    if (klen > 0) {
        eddy_reader_skip(&r, (size_t)klen);
    }
    int32_t vlen = eddy_reader_varint(&r);
    if (vlen < 4) {
        return UINT32_MAX;
    }
    const uint8_t *v = eddy_reader_bytes(&r, 4);
    return v && r.err == 0 ? eddy_load_be32(v) : UINT32_MAX;
}

/* ---- synchronous appends ---------------------------------------------- */

typedef struct waiter {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int outstanding;
    int calls;
    int err;
    int64_t offset;
} waiter;

static inline void waiter_init(waiter *w)
{
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->outstanding = 0;
    w->calls = 0;
    w->err = 0;
    w->offset = -1;
}

static inline void waiter_deinit(waiter *w)
{
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
}

static inline void waiter_done(void *ctx, int err, int64_t offset)
{
    waiter *w = ctx;
    pthread_mutex_lock(&w->mu);
    w->outstanding--;
    w->calls++;
    w->err = err;
    w->offset = offset;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static inline void waiter_wait(waiter *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->outstanding > 0) {
        pthread_cond_wait(&w->cv, &w->mu);
    }
    pthread_mutex_unlock(&w->mu);
}

/* Appends and waits for the completion. Returns append's error, else the
 * completion's; *offset gets the base offset (or the duplicate's). */
static inline int append_sync(eddy_log *log, const uint8_t *b, size_t len, int64_t *offset)
{
    waiter w;
    waiter_init(&w);
    eddy_append_req req = {false, 0, waiter_done, &w};
    eddy_append_result res;
    w.outstanding = 1;
    int rc = eddy_log_append(log, b, len, &req, &res);
    if (rc != 0) {
        waiter_deinit(&w);
        if (offset) {
            *offset = res.base_offset;
        }
        return rc;
    }
    waiter_wait(&w);
    rc = w.err;
    if (offset) {
        *offset = w.offset;
    }
    waiter_deinit(&w);
    return rc;
}

/* Builds and appends a default batch with id and n records. */
static inline int append_id(eddy_log *log, uint32_t id, int records, int64_t *offset)
{
    tb_opts o = tb_default(id);
    o.records = records;
    size_t len;
    uint8_t *b = tb_build(&o, &len);
    int rc = append_sync(log, b, len, offset);
    free(b);
    return rc;
}

/* ---- reading a whole log ---------------------------------------------- */

typedef struct walked {
    int64_t base;
    int64_t last;
    uint32_t id;
    int64_t max_ts;
} walked;

/* Reads every batch from the log start to the high watermark through
 * eddy_log_read, checking CRCs and offset continuity. Returns the number of
 * batches (into out, up to cap) or -1 on any inconsistency. */
static inline long walk_log(eddy_log *log, walked *out, size_t cap)
{
    int64_t off = eddy_log_start_offset(log);
    int64_t hw = eddy_log_high_watermark(log);
    long n = 0;
    int64_t expect = -1;
    while (off < hw) {
        eddy_log_slice s;
        int rc = eddy_log_read(log, off, 64 * 1024, &s);
        if (rc != 0 || s.len == 0) {
            printf("    walk: read at %lld rc=%d len=%zu\n", (long long)off, rc, s.len);
            return -1;
        }
        uint8_t *buf = malloc(s.len);
        ssize_t got = pread(s.fd, buf, s.len, s.pos);
        size_t p = 0;
        while (got == (ssize_t)s.len && p < s.len) {
            eddy_batch_header h;
            if (eddy_batch_header_parse(buf + p, s.len - p, &h) != 0 ||
                eddy_batch_total_size(&h) > s.len - p ||
                !eddy_batch_crc_ok(buf + p, eddy_batch_total_size(&h)) ||
                (expect >= 0 && h.base_offset != expect)) {
                printf("    walk: bad batch at offset %lld\n", (long long)off);
                free(buf);
                eddy_log_slice_release(&s);
                return -1;
            }
            if ((size_t)n < cap) {
                out[n] = (walked){h.base_offset, eddy_batch_last_offset(&h),
                                  tb_id(buf + p, eddy_batch_total_size(&h)), h.max_timestamp};
            }
            n++;
            expect = eddy_batch_last_offset(&h) + 1;
            off = expect;
            p += eddy_batch_total_size(&h);
        }
        size_t slen = s.len;
        free(buf);
        eddy_log_slice_release(&s);
        if (got != (ssize_t)slen) {
            return -1;
        }
    }
    return n;
}

/* ---- temp folders ------------------------------------------------------ */

static inline char *tmp_dir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/eddy-storage-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static inline void tmp_dir_free(char *d)
{
    if (d) {
        eddy_fs_rm_r(d);
        free(d);
    }
}

static inline char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

/* Path of the active (newest) segment file in a partition folder. */
static inline char *newest_segment(const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ls %s/*.log | sort | tail -n 1", dir);
    FILE *f = popen(cmd, "r");
    char line[1024] = {0};
    if (!f || !fgets(line, sizeof line, f)) {
        if (f) {
            pclose(f);
        }
        return NULL;
    }
    pclose(f);
    line[strcspn(line, "\n")] = '\0';
    return strdup(line);
}

static inline long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

#endif
