/* Fuzz target: record batches from a client or a disk.
 *
 * On arbitrary bytes it runs, under small limits and with every codec
 * allowed:
 *   - eddy_batch_validate on the input, and on a copy whose CRC is made
 *     right (so the fuzzer gets past the CRC into the records and codecs);
 *   - the batch iterator over the input as a segment slice, and the record
 *     and header iterators over every batch it yields;
 *   - each decompressor directly on the bytes after the first.
 * Nothing may crash or read out of bounds (ASan), and these must hold:
 *   - a batch that validates iterates to exactly recordsCount records with
 *     no error, at the offsets and timestamps validation saw;
 *   - rebuilt with eddy's builder, its records validate again. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fuzz.h"
#include "record/builder.h"
#include "record/records.h"
#include "record/validate.h"

#define MAX_UNCOMPRESSED (256 * 1024)

static eddy_record_scratch scratch; /* reused across inputs, as a thread would */
static volatile uint32_t sink;      /* keeps the byte reads in touch() */
static bool scratch_ready;

static const eddy_batch_limits limits = {
    .max_batch_bytes = 1 << 20,
    .max_uncompressed_bytes = MAX_UNCOMPRESSED,
    .max_event_bytes = 64 * 1024,
    .allow_zstd = true,
};

/* Touches every byte a record exposes, so ASan sees any bad pointer. */
static uint32_t touch(const eddy_record *rec)
{
    uint32_t sum = 0;
    for (int32_t i = 0; i < rec->key.len; i++) {
        sum += rec->key.ptr[i];
    }
    for (int32_t i = 0; i < rec->value.len; i++) {
        sum += rec->value.ptr[i];
    }
    eddy_header_iter hi;
    eddy_header_iter_init(&hi, rec);
    eddy_record_header h;
    int n = 0;
    while (eddy_header_iter_next(&hi, &h)) {
        for (int32_t i = 0; i < h.key.len; i++) {
            sum += h.key.ptr[i];
        }
        for (int32_t i = 0; i < h.value.len; i++) {
            sum += h.value.ptr[i];
        }
        n++;
    }
    if (n != rec->header_count) {
        abort(); /* eddy_record_read checked these headers */
    }
    return sum;
}

/* Iterates one batch; returns the number of records, -1 on error. */
static int iterate(const uint8_t *batch, size_t len, eddy_record_scratch *s)
{
    eddy_record_iter it;
    int n = -1;
    if (eddy_record_iter_init(&it, batch, len, s, MAX_UNCOMPRESSED) == 0) {
        eddy_record rec;
        n = 0;
        while (eddy_record_iter_next(&it, &rec)) {
            sink += touch(&rec);
            n++;
        }
        n = it.err ? -1 : n;
    }
    eddy_record_iter_deinit(&it);
    return n;
}

/* A batch that validated: the iterator agrees, and a rebuilt copy (same
 * records, no compression) validates too. */
static void check_accepted(const uint8_t *batch, size_t len, const eddy_batch_info *info)
{
    eddy_record_scratch own;
    eddy_record_scratch_init(&own);
    eddy_record_iter it;
    if (eddy_record_iter_init(&it, batch, len, &own, MAX_UNCOMPRESSED) != 0) {
        abort();
    }
    eddy_batch_builder bb;
    eddy_batch_builder_init(&bb, EDDY_CODEC_NONE, it.hdr.base_timestamp);
    eddy_record rec;
    int32_t n = 0;
    while (eddy_record_iter_next(&it, &rec)) {
        if (rec.offset_delta != n ||
            rec.offset != (int64_t)((uint64_t)it.hdr.base_offset + (uint64_t)n)) {
            abort();
        }
        eddy_record_header hs[16];
        size_t nh = 0;
        eddy_header_iter hi;
        eddy_header_iter_init(&hi, &rec);
        while (nh < 16 && eddy_header_iter_next(&hi, &hs[nh])) {
            nh++;
        }
        if (eddy_batch_builder_add(&bb, rec.timestamp, rec.key.ptr, rec.key.len, rec.value.ptr,
                                   rec.value.len, hs, nh) != 0) {
            abort();
        }
        n++;
    }
    if (it.err || n != info->record_count) {
        abort();
    }
    eddy_buf out;
    eddy_buf_init(&out, 0);
    if (eddy_batch_builder_finish(&bb, &out) != 0) {
        abort();
    }
    eddy_batch_limits lim = limits;
    lim.max_batch_bytes = 0; /* the uncompressed copy may be bigger */
    eddy_batch_info again;
    if (eddy_batch_validate_with(out.data, out.len, &lim, &again, &own) != 0 ||
        again.record_count != n || again.min_timestamp != info->min_timestamp ||
        again.max_timestamp != info->max_timestamp) {
        abort();
    }
    eddy_buf_deinit(&out);
    eddy_batch_builder_deinit(&bb);
    eddy_record_iter_deinit(&it);
    eddy_record_scratch_deinit(&own);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!scratch_ready) {
        eddy_record_scratch_init(&scratch);
        scratch_ready = true;
    }
    eddy_batch_info info;

    /* As sent, then with a right CRC. */
    if (eddy_batch_validate_with(data, size, &limits, &info, &scratch) == 0) {
        check_accepted(data, size, &info);
    }
    if (size >= EDDY_BATCH_HEADER_SIZE) {
        uint8_t *copy = malloc(size);
        memcpy(copy, data, size);
        eddy_store_be32(copy + EDDY_BATCH_OFF_CRC, eddy_batch_compute_crc(copy, size));
        int rc = eddy_batch_validate_with(copy, size, &limits, &info, &scratch);
        if (rc == 0) {
            check_accepted(copy, size, &info);
        } else if (rc < 0 && rc != EDDY_ERR_NOMEM) {
            abort(); /* only Kafka codes, or out of memory */
        }
        free(copy);
    }

    /* As a segment slice. */
    eddy_batch_iter bi;
    eddy_batch_iter_init(&bi, data, size);
    const uint8_t *batch;
    eddy_batch_header hdr;
    while (eddy_batch_iter_next(&bi, &batch, &hdr)) {
        (void)iterate(batch, eddy_batch_total_size(&hdr), &scratch);
    }

    /* Each codec straight on the bytes. */
    if (size > 1) {
        eddy_codec codec = (eddy_codec)(1 + data[0] % 4);
        eddy_buf_reset(&scratch.buf);
        int rc = eddy_codec_decompress(&scratch.codec, codec, data + 1, size - 1, 64 * 1024,
                                       &scratch.buf);
        if (rc == 0 && scratch.buf.len > 64 * 1024) {
            abort();
        }
    }
    return 0;
}
