/* Validation of a Produce request's records (Produce v3+).
 *
 * A partition's records field must be exactly one v2 batch. The hub calls
 * eddy_batch_validate on it before assigning offsets; a non-zero result is
 * the Kafka ErrorCode for that partition's response. The checks, in order
 * (the first failure wins; docs/record.md has the table):
 *   1. framing: magic 0/1 -> UNSUPPORTED_FOR_MESSAGE_FORMAT; shorter than a
 *      header, another magic, or batchLength + 12 != len -> CORRUPT_MESSAGE,
 *      except that bytes after the batch which start another batch (17+
 *      bytes, magic 2) -> INVALID_RECORD ("one batch per partition");
 *   2. len > max_batch_bytes -> MESSAGE_TOO_LARGE;
 *   3. CRC-32C -> CORRUPT_MESSAGE;
 *   4. header: recordsCount <= 0 or lastOffsetDelta + 1 != recordsCount,
 *      the control bit, producerId >= 0 with baseSequence < 0 ->
 *      INVALID_RECORD; the LogAppendTime bit -> INVALID_TIMESTAMP; codec
 *      5..7, or zstd without allow_zstd -> UNSUPPORTED_COMPRESSION_TYPE;
 *   5. decompression (bounded by max_uncompressed_bytes): corrupt, truncated
 *      or over the bound -> CORRUPT_MESSAGE;
 *   6. every record: malformed (a length that leaves the record, a null
 *      header key, fields not filling the record) -> CORRUPT_MESSAGE;
 *      offsetDelta != its index, or a record count other than recordsCount
 *      (bytes end early, or remain) -> INVALID_RECORD; a value over
 *      max_event_bytes -> MESSAGE_TOO_LARGE.
 * The uncompressed path reads the records in place (no copy); a compressed
 * batch is decompressed once into reusable scratch memory. No allocation
 * per record, none per batch once the scratch has grown. */
#ifndef EDDY_RECORD_VALIDATE_H
#define EDDY_RECORD_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record/batch.h"
#include "record/records.h"

/* Limits for one partition's batch. 0 in a size field means no limit. */
typedef struct eddy_batch_limits {
    size_t max_batch_bytes;        /* the whole batch as sent (max.message.bytes) */
    size_t max_uncompressed_bytes; /* the record array after decompression */
    size_t max_event_bytes;        /* each record's value */
    bool allow_zstd;               /* Produce v7+ */
} eddy_batch_limits;

/* Kafka's message.max.bytes, Event Hubs' 1 MB event, room for 32x
 * compression, zstd allowed. */
#define EDDY_BATCH_LIMITS_DEFAULT                                                                  \
    ((eddy_batch_limits){.max_batch_bytes = 1048588,                                               \
                         .max_uncompressed_bytes = (size_t)32 << 20,                               \
                         .max_event_bytes = 1048576,                                               \
                         .allow_zstd = true})

/* What validation learnt about an accepted batch. */
typedef struct eddy_batch_info {
    eddy_batch_header hdr;
    eddy_codec codec;
    int32_t record_count;
    size_t batch_bytes;        /* the whole batch */
    size_t uncompressed_bytes; /* the record array, decompressed */
    int64_t min_timestamp;     /* over the records (base + delta) */
    int64_t max_timestamp;
} eddy_batch_info;

/* Validates batch[0..len) (untrusted, borrowed) as one partition's records
 * from a Produce v3+ request. lim NULL means EDDY_BATCH_LIMITS_DEFAULT; info
 * may be NULL, and is complete only when 0 is returned (hdr is set once the
 * header parsed). Returns 0, a Kafka ErrorCode (see above) or EDDY_ERR_NOMEM.
 * Compressed batches are decompressed into a per-thread scratch that is kept
 * between calls (released when it grew past 8 MiB, and at thread exit).
 * Thread-safe: threads share nothing. */
int eddy_batch_validate(const uint8_t *batch, size_t len, const eddy_batch_limits *lim,
                        eddy_batch_info *info);

/* As eddy_batch_validate, with the caller's scratch (borrowed; not shrunk).
 * scratch may be NULL when the batch is known to be uncompressed. */
int eddy_batch_validate_with(const uint8_t *batch, size_t len, const eddy_batch_limits *lim,
                             eddy_batch_info *info, eddy_record_scratch *scratch);

/* Frees the calling thread's validation scratch now (threads exiting do it
 * on their own; this is for the main thread and for tests). */
void eddy_batch_validate_release(void);

#endif
