/* Building v2 record batches.
 *
 * Tests and benchmarks build producer batches with it, and the hub writes
 * its own internal records (consumer offsets) with it. Records are encoded
 * into the builder's buffer as they are added; finish compresses them if
 * asked, writes the 61-byte header with the CRC-32C and appends the whole
 * batch to the caller's buffer. Offsets deltas are 0, 1, 2, ...; timestamps
 * are CreateTime, stored as deltas from the base timestamp given at init
 * (they may be negative), and maxTimestamp is the largest added.
 *
 *   eddy_batch_builder bb;
 *   eddy_batch_builder_init(&bb, EDDY_CODEC_LZ4, now_ms);
 *   eddy_batch_builder_add(&bb, now_ms, "k", 1, "v", 1, NULL, 0);
 *   int rc = eddy_batch_builder_finish(&bb, &out);   (appends to out)
 *   eddy_batch_builder_deinit(&bb);
 *
 * Not thread-safe; a builder belongs to one thread. */
#ifndef EDDY_RECORD_BUILDER_H
#define EDDY_RECORD_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "record/batch.h"
#include "record/codec.h"
#include "record/records.h"

typedef struct eddy_batch_builder {
    /* Settings: set by init, the setters, or directly before finish. */
    eddy_codec codec;
    eddy_codec_opts codec_opts;
    eddy_codec_ctx *codec_ctx; /* borrowed, optional: reused compression state */
    int64_t base_offset;       /* 0, as producers send it */
    int32_t partition_leader_epoch;
    int64_t producer_id; /* -1: not idempotent */
    int16_t producer_epoch;
    int32_t base_sequence;
    uint16_t flags; /* EDDY_BATCH_TRANSACTIONAL, EDDY_BATCH_CONTROL */
    /* State. */
    int64_t base_timestamp;
    int64_t max_timestamp;
    int32_t count;
    eddy_buf records; /* the encoded, uncompressed record array (owned) */
    int err;          /* first error, sticky until reset */
} eddy_batch_builder;

/* Starts an empty batch: no producer (id -1, epoch -1, sequence -1),
 * CreateTime, records' timestamps relative to base_timestamp. */
void eddy_batch_builder_init(eddy_batch_builder *bb, eddy_codec codec, int64_t base_timestamp);

/* Frees the builder's memory. */
void eddy_batch_builder_deinit(eddy_batch_builder *bb);

/* Drops the records and the error, keeping the settings and the memory. */
void eddy_batch_builder_reset(eddy_batch_builder *bb, int64_t base_timestamp);

/* An idempotent (or transactional) producer's fields. */
void eddy_batch_builder_set_producer(eddy_batch_builder *bb, int64_t producer_id,
                                     int16_t producer_epoch, int32_t base_sequence);

/* Appends one record. key/value are copied; a negative length means null
 * (the pointer is then ignored). headers[0..nheaders) are copied; a header
 * key must not be null. Returns 0, EDDY_ERR_INVALID_ARG (null header key),
 * EDDY_ERR_LIMIT (record over 2 GiB or more than INT32_MAX records) or
 * EDDY_ERR_NOMEM; errors are sticky (bb->err). */
int eddy_batch_builder_add(eddy_batch_builder *bb, int64_t timestamp, const void *key,
                           int32_t key_len, const void *value, int32_t value_len,
                           const eddy_record_header *headers, size_t nheaders);

/* Number of records added so far. */
static inline int32_t eddy_batch_builder_count(const eddy_batch_builder *bb)
{
    return bb->count;
}

/* Appends the finished batch to out (out may already hold other batches).
 * The builder keeps its records: call reset for the next batch. Returns 0,
 * the sticky error, EDDY_ERR_INVALID_ARG (no records), or a codec or out
 * error (then out->len is unchanged). */
int eddy_batch_builder_finish(eddy_batch_builder *bb, eddy_buf *out);

#endif
