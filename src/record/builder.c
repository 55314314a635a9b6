/* Batch builder (see builder.h).
 *
 * Each record's size is computed first, so its length varint is written once
 * in front of it and the record is then encoded straight into the buffer. */
#include "record/builder.h"

#include <string.h>

#include "core/crc.h"
#include "core/endian.h"
#include "core/error.h"

/* The largest batchLength: the batch minus its first 12 bytes is an int32. */
#define MAX_RECORDS_BYTES ((size_t)INT32_MAX - (EDDY_BATCH_HEADER_SIZE - EDDY_BATCH_LOG_OVERHEAD))

void eddy_batch_builder_init(eddy_batch_builder *bb, eddy_codec codec, int64_t base_timestamp)
{
    memset(bb, 0, sizeof *bb);
    bb->codec = codec;
    bb->producer_id = -1;
    bb->producer_epoch = -1;
    bb->base_sequence = -1;
    eddy_buf_init(&bb->records, 0);
    eddy_batch_builder_reset(bb, base_timestamp);
}

void eddy_batch_builder_deinit(eddy_batch_builder *bb)
{
    eddy_buf_deinit(&bb->records);
}

void eddy_batch_builder_reset(eddy_batch_builder *bb, int64_t base_timestamp)
{
    eddy_buf_reset(&bb->records);
    bb->base_timestamp = base_timestamp;
    bb->max_timestamp = base_timestamp;
    bb->count = 0;
    bb->err = 0;
}

void eddy_batch_builder_set_producer(eddy_batch_builder *bb, int64_t producer_id,
                                     int16_t producer_epoch, int32_t base_sequence)
{
    bb->producer_id = producer_id;
    bb->producer_epoch = producer_epoch;
    bb->base_sequence = base_sequence;
}

static uint64_t nullable_size(int32_t len)
{
    return len < 0 ? 1 : eddy_uvarint_size(eddy_zigzag32(len)) + (uint64_t)len;
}

static void put_nullable(eddy_buf *b, const void *p, int32_t len)
{
    if (len < 0) {
        eddy_buf_put_varint(b, -1);
        return;
    }
    eddy_buf_put_varint(b, len);
    eddy_buf_append(b, p, (size_t)len);
}

static int fail(eddy_batch_builder *bb, int err)
{
    bb->err = err;
    return err;
}

int eddy_batch_builder_add(eddy_batch_builder *bb, int64_t timestamp, const void *key,
                           int32_t key_len, const void *value, int32_t value_len,
                           const eddy_record_header *headers, size_t nheaders)
{
    if (bb->err) {
        return bb->err;
    }
    if (bb->count == INT32_MAX || nheaders > INT32_MAX) {
        return fail(bb, EDDY_ERR_LIMIT);
    }
    int64_t delta = (int64_t)((uint64_t)timestamp - (uint64_t)bb->base_timestamp);
    uint64_t body = 1 + eddy_uvarint_size(eddy_zigzag64(delta)) +
                    eddy_uvarint_size(eddy_zigzag32(bb->count)) + nullable_size(key_len) +
                    nullable_size(value_len) + eddy_uvarint_size(eddy_zigzag32((int32_t)nheaders));
    for (size_t i = 0; i < nheaders; i++) {
        if (headers[i].key.len < 0) {
            return fail(bb, EDDY_ERR_INVALID_ARG);
        }
        body += nullable_size(headers[i].key.len) + nullable_size(headers[i].value.len);
    }
    if (body > INT32_MAX || bb->records.len + body + EDDY_VARINT32_MAX > MAX_RECORDS_BYTES) {
        return fail(bb, EDDY_ERR_LIMIT);
    }
    eddy_buf *b = &bb->records;
    if (eddy_buf_reserve(b, (size_t)body + EDDY_VARINT32_MAX)) {
        return fail(bb, b->err);
    }
    eddy_buf_put_varint(b, (int32_t)body);
    eddy_buf_put_u8(b, 0); /* attributes: unused */
    eddy_buf_put_varlong(b, delta);
    eddy_buf_put_varint(b, bb->count);
    put_nullable(b, key, key_len);
    put_nullable(b, value, value_len);
    eddy_buf_put_varint(b, (int32_t)nheaders);
    for (size_t i = 0; i < nheaders; i++) {
        put_nullable(b, headers[i].key.ptr, headers[i].key.len);
        put_nullable(b, headers[i].value.ptr, headers[i].value.len);
    }
    if (b->err) {
        return fail(bb, b->err);
    }
    if (bb->count == 0 || timestamp > bb->max_timestamp) {
        bb->max_timestamp = timestamp;
    }
    bb->count++;
    return 0;
}

int eddy_batch_builder_finish(eddy_batch_builder *bb, eddy_buf *out)
{
    if (bb->err) {
        return bb->err;
    }
    if (bb->count == 0) {
        return EDDY_ERR_INVALID_ARG;
    }
    if (out->err) {
        return out->err;
    }
    size_t start = out->len;
    if (!eddy_buf_extend(out, EDDY_BATCH_HEADER_SIZE)) {
        return out->err;
    }
    int rc;
    if (bb->codec == EDDY_CODEC_NONE) {
        rc = eddy_buf_append(out, bb->records.data, bb->records.len);
    } else {
        rc = eddy_codec_compress(bb->codec_ctx, bb->codec, &bb->codec_opts, bb->records.data,
                                 bb->records.len, out);
    }
    size_t total = out->len - start;
    if (rc == 0 && total - EDDY_BATCH_LOG_OVERHEAD > INT32_MAX) {
        rc = EDDY_ERR_LIMIT; /* compression made it bigger than a batch can be */
    }
    if (rc) {
        out->len = start;
        return rc;
    }
    uint8_t *p = out->data + start;
    uint16_t attributes = (uint16_t)((bb->flags & ~EDDY_BATCH_CODEC_MASK) | bb->codec);
    eddy_store_be64(p + EDDY_BATCH_OFF_BASE_OFFSET, (uint64_t)bb->base_offset);
    eddy_store_be32(p + EDDY_BATCH_OFF_LENGTH, (uint32_t)(total - EDDY_BATCH_LOG_OVERHEAD));
    eddy_store_be32(p + EDDY_BATCH_OFF_LEADER_EPOCH, (uint32_t)bb->partition_leader_epoch);
    p[EDDY_BATCH_OFF_MAGIC] = 2;
    eddy_store_be16(p + EDDY_BATCH_OFF_ATTRIBUTES, attributes);
    eddy_store_be32(p + EDDY_BATCH_OFF_LAST_OFFSET_DELTA, (uint32_t)(bb->count - 1));
    eddy_store_be64(p + EDDY_BATCH_OFF_BASE_TIMESTAMP, (uint64_t)bb->base_timestamp);
    eddy_store_be64(p + EDDY_BATCH_OFF_MAX_TIMESTAMP, (uint64_t)bb->max_timestamp);
    eddy_store_be64(p + EDDY_BATCH_OFF_PRODUCER_ID, (uint64_t)bb->producer_id);
    eddy_store_be16(p + EDDY_BATCH_OFF_PRODUCER_EPOCH, (uint16_t)bb->producer_epoch);
    eddy_store_be32(p + EDDY_BATCH_OFF_BASE_SEQUENCE, (uint32_t)bb->base_sequence);
    eddy_store_be32(p + EDDY_BATCH_OFF_RECORDS_COUNT, (uint32_t)bb->count);
    eddy_store_be32(p + EDDY_BATCH_OFF_CRC, eddy_batch_compute_crc(p, total));
    return 0;
}
