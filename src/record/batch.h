/* Kafka record batches (magic 2): the 61-byte header.
 *
 * A batch is stored by eddy exactly as the producer sent it, except for the
 * fields the broker owns: baseOffset and partitionLeaderEpoch (not covered by
 * the CRC), and, for LogAppendTime hubs, the timestamp-type attribute bit and
 * maxTimestamp (covered by the CRC, which is then recomputed).
 *
 * Layout (big-endian), see docs/format/record-batch.md:
 *   0 baseOffset i64 | 8 batchLength i32 | 12 partitionLeaderEpoch i32 |
 *   16 magic i8 | 17 crc u32 | 21 attributes i16 | 23 lastOffsetDelta i32 |
 *   27 baseTimestamp i64 | 35 maxTimestamp i64 | 43 producerId i64 |
 *   51 producerEpoch i16 | 53 baseSequence i32 | 57 recordsCount i32 | 61 records */
#ifndef EDDY_RECORD_BATCH_H
#define EDDY_RECORD_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EDDY_BATCH_HEADER_SIZE 61
/* Bytes before and including batchLength: batchLength counts what follows. */
#define EDDY_BATCH_LOG_OVERHEAD 12
#define EDDY_BATCH_CRC_START    21

#define EDDY_BATCH_OFF_BASE_OFFSET       0
#define EDDY_BATCH_OFF_LENGTH            8
#define EDDY_BATCH_OFF_LEADER_EPOCH      12
#define EDDY_BATCH_OFF_MAGIC             16
#define EDDY_BATCH_OFF_CRC               17
#define EDDY_BATCH_OFF_ATTRIBUTES        21
#define EDDY_BATCH_OFF_LAST_OFFSET_DELTA 23
#define EDDY_BATCH_OFF_BASE_TIMESTAMP    27
#define EDDY_BATCH_OFF_MAX_TIMESTAMP     35
#define EDDY_BATCH_OFF_PRODUCER_ID       43
#define EDDY_BATCH_OFF_PRODUCER_EPOCH    51
#define EDDY_BATCH_OFF_BASE_SEQUENCE     53
#define EDDY_BATCH_OFF_RECORDS_COUNT     57

/* Attribute bits. */
#define EDDY_BATCH_CODEC_MASK           0x07
#define EDDY_BATCH_TIMESTAMP_LOG_APPEND 0x08
#define EDDY_BATCH_TRANSACTIONAL        0x10
#define EDDY_BATCH_CONTROL              0x20
#define EDDY_BATCH_DELETE_HORIZON       0x40

typedef enum eddy_codec {
    EDDY_CODEC_NONE = 0,
    EDDY_CODEC_GZIP = 1,
    EDDY_CODEC_SNAPPY = 2,
    EDDY_CODEC_LZ4 = 3,
    EDDY_CODEC_ZSTD = 4,
} eddy_codec;

typedef struct eddy_batch_header {
    int64_t base_offset;
    int32_t batch_length; /* bytes after this field */
    int32_t partition_leader_epoch;
    int8_t magic;
    uint32_t crc;
    int16_t attributes;
    int32_t last_offset_delta;
    int64_t base_timestamp;
    int64_t max_timestamp;
    int64_t producer_id;
    int16_t producer_epoch;
    int32_t base_sequence;
    int32_t records_count;
} eddy_batch_header;

/* Total bytes of the batch on the wire/disk (batchLength + 12). */
static inline size_t eddy_batch_total_size(const eddy_batch_header *h)
{
    return (size_t)h->batch_length + EDDY_BATCH_LOG_OVERHEAD;
}

static inline int64_t eddy_batch_last_offset(const eddy_batch_header *h)
{
    return h->base_offset + h->last_offset_delta;
}

static inline eddy_codec eddy_batch_codec(const eddy_batch_header *h)
{
    return (eddy_codec)(h->attributes & EDDY_BATCH_CODEC_MASK);
}

/* Decodes the header from p[0..len). Checks only what the header alone can
 * say: len >= 61, magic == 2, batchLength >= 49 (header after the length
 * field). Returns 0, EDDY_ERR_CORRUPT_MESSAGE (too short, bad length) or
 * EDDY_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT (magic != 2). Never reads past
 * len. */
int eddy_batch_header_parse(const uint8_t *p, size_t len, eddy_batch_header *h);

/* Computes the CRC-32C of bytes [21, total) of a whole batch of total bytes. */
uint32_t eddy_batch_compute_crc(const uint8_t *batch, size_t total);

/* True when the stored CRC matches the bytes; batch holds total bytes. */
bool eddy_batch_crc_ok(const uint8_t *batch, size_t total);

/* Broker-owned rewrites on a whole batch in memory. */
void eddy_batch_set_base_offset(uint8_t *batch, int64_t base_offset);
void eddy_batch_set_leader_epoch(uint8_t *batch, int32_t epoch);

/* Marks the batch LogAppendTime with maxTimestamp = now_ms and recomputes
 * the CRC over the total bytes. */
void eddy_batch_set_log_append_time(uint8_t *batch, size_t total, int64_t now_ms);

#endif
