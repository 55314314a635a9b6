/* Produce-side batch validation (see validate.h).
 *
 * Two passes over the bytes: the CRC-32C (hardware, several GB/s), then one
 * walk over the records with the inline record parser (record_parse.h). The
 * per-thread scratch for compressed batches is a thread-local; a pthread
 * key's destructor frees it when the thread exits, so network threads need
 * no cleanup call. */
#include "record/validate.h"

#include <pthread.h>

#include "core/error.h"
#include "record/record_parse.h"

/* A scratch that grew past this is released after the call: a rare huge
 * batch should not pin its memory on every network thread. */
#define SCRATCH_KEEP_BYTES ((size_t)8 << 20)

static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static pthread_key_t tls_key;
static bool tls_key_ok;
static _Thread_local eddy_record_scratch tls_scratch;
static _Thread_local bool tls_ready;

static void tls_destroy(void *p)
{
    eddy_record_scratch_deinit(p);
}

static void tls_make_key(void)
{
    tls_key_ok = pthread_key_create(&tls_key, tls_destroy) == 0;
}

static eddy_record_scratch *thread_scratch(void)
{
    if (!tls_ready) {
        eddy_record_scratch_init(&tls_scratch);
        pthread_once(&tls_once, tls_make_key);
        if (tls_key_ok) {
            pthread_setspecific(tls_key, &tls_scratch);
        }
        tls_ready = true;
    }
    return &tls_scratch;
}

void eddy_batch_validate_release(void)
{
    if (tls_ready) {
        eddy_record_scratch_deinit(&tls_scratch);
    }
}

/* Walks every record of the (uncompressed) record array p[0..n). */
static int check_records(const uint8_t *p, size_t n, const eddy_batch_header *h, size_t max_event,
                         eddy_batch_info *info)
{
    eddy_reader r;
    eddy_reader_init(&r, p, n);
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (int32_t i = 0; i < h->records_count; i++) {
        if (eddy_reader_remaining(&r) == 0) {
            return EDDY_ERR_INVALID_RECORD; /* fewer records than counted */
        }
        eddy_record rec;
        if (record_parse(&r, &rec) != 0) {
            return EDDY_ERR_CORRUPT_MESSAGE;
        }
        if (rec.offset_delta != i) {
            return EDDY_ERR_INVALID_RECORD;
        }
        if (max_event && rec.value.len > 0 && (size_t)rec.value.len > max_event) {
            return EDDY_ERR_MESSAGE_TOO_LARGE;
        }
        /* Wrapping sum: both terms are the client's. */
        int64_t ts = (int64_t)((uint64_t)h->base_timestamp + (uint64_t)rec.timestamp_delta);
        lo = ts < lo ? ts : lo;
        hi = ts > hi ? ts : hi;
    }
    if (eddy_reader_remaining(&r) != 0) {
        return EDDY_ERR_INVALID_RECORD; /* more records (or bytes) than counted */
    }
    info->min_timestamp = lo;
    info->max_timestamp = hi;
    return 0;
}

/* Steps 1-4 of validate.h: everything the header and framing can tell. */
static int check_header(const uint8_t *batch, size_t len, const eddy_batch_limits *lim,
                        eddy_batch_header *h)
{
    /* Byte 16 is the magic in every message format: 0 and 1 are the old
     * message sets, which eddy does not accept (Produce v3+ must send v2). */
    if (len > EDDY_BATCH_OFF_MAGIC && batch[EDDY_BATCH_OFF_MAGIC] < 2) {
        return EDDY_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT;
    }
    if (eddy_batch_header_parse(batch, len, h) != 0) {
        return EDDY_ERR_CORRUPT_MESSAGE; /* short, bad length, or magic > 2 */
    }
    size_t total = eddy_batch_total_size(h);
    if (total != len) {
        if (total < len && len - total > EDDY_BATCH_OFF_MAGIC &&
            batch[total + EDDY_BATCH_OFF_MAGIC] == 2) {
            return EDDY_ERR_INVALID_RECORD; /* a second batch */
        }
        return EDDY_ERR_CORRUPT_MESSAGE;
    }
    if (lim->max_batch_bytes && len > lim->max_batch_bytes) {
        return EDDY_ERR_MESSAGE_TOO_LARGE;
    }
    if (!eddy_batch_crc_ok(batch, len)) {
        return EDDY_ERR_CORRUPT_MESSAGE;
    }
    if (h->records_count <= 0 || (int64_t)h->last_offset_delta + 1 != h->records_count) {
        return EDDY_ERR_INVALID_RECORD;
    }
    if (h->attributes & EDDY_BATCH_CONTROL) {
        return EDDY_ERR_INVALID_RECORD; /* only a transaction coordinator writes these */
    }
    if (h->producer_id >= 0 && h->base_sequence < 0) {
        return EDDY_ERR_INVALID_RECORD;
    }
    if (h->attributes & EDDY_BATCH_TIMESTAMP_LOG_APPEND) {
        return EDDY_ERR_INVALID_TIMESTAMP; /* the broker sets it, never a producer */
    }
    eddy_codec codec = eddy_batch_codec(h);
    if (codec > EDDY_CODEC_ZSTD || (codec == EDDY_CODEC_ZSTD && !lim->allow_zstd)) {
        return EDDY_ERR_UNSUPPORTED_COMPRESSION_TYPE;
    }
    return 0;
}

int eddy_batch_validate_with(const uint8_t *batch, size_t len, const eddy_batch_limits *lim,
                             eddy_batch_info *info, eddy_record_scratch *scratch)
{
    eddy_batch_info local;
    eddy_batch_limits deflim = EDDY_BATCH_LIMITS_DEFAULT;
    eddy_record_scratch tmp;
    bool tmp_used = false;
    info = info ? info : &local;
    lim = lim ? lim : &deflim;
    len = batch ? len : 0;

    int rc = check_header(batch, len, lim, &info->hdr);
    if (rc) {
        return rc;
    }
    const eddy_batch_header *h = &info->hdr;
    eddy_codec codec = eddy_batch_codec(h);
    const uint8_t *records = batch + EDDY_BATCH_HEADER_SIZE;
    size_t n = len - EDDY_BATCH_HEADER_SIZE;
    if (codec != EDDY_CODEC_NONE) {
        if (!scratch) {
            eddy_record_scratch_init(&tmp);
            scratch = &tmp;
            tmp_used = true;
        }
        eddy_buf_reset(&scratch->buf);
        rc = eddy_codec_decompress(&scratch->codec, codec, records, n, lim->max_uncompressed_bytes,
                                   &scratch->buf);
        if (rc) {
            /* A bomb (over the bound) is as bad as a corrupt stream. */
            rc = rc == EDDY_ERR_NOMEM ? EDDY_ERR_NOMEM : EDDY_ERR_CORRUPT_MESSAGE;
            goto out;
        }
        records = scratch->buf.data;
        n = scratch->buf.len;
    }
    rc = check_records(records, n, h, lim->max_event_bytes, info);
    if (rc == 0) {
        info->codec = codec;
        info->record_count = h->records_count;
        info->batch_bytes = len;
        info->uncompressed_bytes = n;
    }
out:
    if (tmp_used) {
        eddy_record_scratch_deinit(&tmp);
    }
    return rc;
}

int eddy_batch_validate(const uint8_t *batch, size_t len, const eddy_batch_limits *lim,
                        eddy_batch_info *info)
{
    eddy_record_scratch *s = thread_scratch();
    int rc = eddy_batch_validate_with(batch, len, lim, info, s);
    if (s->buf.cap > SCRATCH_KEEP_BYTES) {
        eddy_buf_deinit(&s->buf);
    }
    return rc;
}
