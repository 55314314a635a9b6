/* Record batch header (see batch.h). */
#include "record/batch.h"

#include <string.h>

#include "core/crc.h"
#include "core/endian.h"
#include "core/error.h"

int eddy_batch_header_parse(const uint8_t *p, size_t len, eddy_batch_header *h)
{
    if (len < EDDY_BATCH_HEADER_SIZE) {
        return EDDY_ERR_CORRUPT_MESSAGE;
    }
    h->base_offset = (int64_t)eddy_load_be64(p + EDDY_BATCH_OFF_BASE_OFFSET);
    h->batch_length = (int32_t)eddy_load_be32(p + EDDY_BATCH_OFF_LENGTH);
    h->partition_leader_epoch = (int32_t)eddy_load_be32(p + EDDY_BATCH_OFF_LEADER_EPOCH);
    h->magic = (int8_t)p[EDDY_BATCH_OFF_MAGIC];
    h->crc = eddy_load_be32(p + EDDY_BATCH_OFF_CRC);
    h->attributes = (int16_t)eddy_load_be16(p + EDDY_BATCH_OFF_ATTRIBUTES);
    h->last_offset_delta = (int32_t)eddy_load_be32(p + EDDY_BATCH_OFF_LAST_OFFSET_DELTA);
    h->base_timestamp = (int64_t)eddy_load_be64(p + EDDY_BATCH_OFF_BASE_TIMESTAMP);
    h->max_timestamp = (int64_t)eddy_load_be64(p + EDDY_BATCH_OFF_MAX_TIMESTAMP);
    h->producer_id = (int64_t)eddy_load_be64(p + EDDY_BATCH_OFF_PRODUCER_ID);
    h->producer_epoch = (int16_t)eddy_load_be16(p + EDDY_BATCH_OFF_PRODUCER_EPOCH);
    h->base_sequence = (int32_t)eddy_load_be32(p + EDDY_BATCH_OFF_BASE_SEQUENCE);
    h->records_count = (int32_t)eddy_load_be32(p + EDDY_BATCH_OFF_RECORDS_COUNT);
    if (h->magic != 2) {
        return EDDY_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT;
    }
    if (h->batch_length < EDDY_BATCH_HEADER_SIZE - EDDY_BATCH_LOG_OVERHEAD) {
        return EDDY_ERR_CORRUPT_MESSAGE;
    }
    return 0;
}

uint32_t eddy_batch_compute_crc(const uint8_t *batch, size_t total)
{
    return eddy_crc32c(0, batch + EDDY_BATCH_CRC_START, total - EDDY_BATCH_CRC_START);
}

bool eddy_batch_crc_ok(const uint8_t *batch, size_t total)
{
    if (total < EDDY_BATCH_HEADER_SIZE) {
        return false;
    }
    return eddy_load_be32(batch + EDDY_BATCH_OFF_CRC) == eddy_batch_compute_crc(batch, total);
}

void eddy_batch_set_base_offset(uint8_t *batch, int64_t base_offset)
{
    eddy_store_be64(batch + EDDY_BATCH_OFF_BASE_OFFSET, (uint64_t)base_offset);
}

void eddy_batch_set_leader_epoch(uint8_t *batch, int32_t epoch)
{
    eddy_store_be32(batch + EDDY_BATCH_OFF_LEADER_EPOCH, (uint32_t)epoch);
}

void eddy_batch_set_log_append_time(uint8_t *batch, size_t total, int64_t now_ms)
{
    /* Only the header's bytes [21, 43) change (attributes .. maxTimestamp):
     * patch the CRC instead of reading the whole batch again. Exact when
     * the stored CRC was right (validation checked it); a wrong one stays
     * wrong. */
    enum { FROM = EDDY_BATCH_OFF_ATTRIBUTES, TO = EDDY_BATCH_OFF_MAX_TIMESTAMP + 8 };
    uint8_t old_bytes[TO - FROM];
    memcpy(old_bytes, batch + FROM, sizeof old_bytes);
    uint16_t attr = eddy_load_be16(batch + EDDY_BATCH_OFF_ATTRIBUTES);
    eddy_store_be16(batch + EDDY_BATCH_OFF_ATTRIBUTES, attr | EDDY_BATCH_TIMESTAMP_LOG_APPEND);
    eddy_store_be64(batch + EDDY_BATCH_OFF_MAX_TIMESTAMP, (uint64_t)now_ms);
    uint32_t crc = eddy_load_be32(batch + EDDY_BATCH_OFF_CRC);
    crc = eddy_crc32c_patch(crc, total - EDDY_BATCH_CRC_START, FROM - EDDY_BATCH_CRC_START,
                            old_bytes, batch + FROM, sizeof old_bytes);
    eddy_store_be32(batch + EDDY_BATCH_OFF_CRC, crc);
}
