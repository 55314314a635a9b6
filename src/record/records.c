/* Record, header and batch iteration (see records.h).
 *
 * There is one record parser (record_parse.h): the iterator uses it to read
 * and eddy_batch_validate to check every record of a Produce request, so the
 * two can never disagree about what a well-formed record is. */
#include "record/records.h"

#include <string.h>

#include "core/error.h"
#include "record/record_parse.h"

void eddy_record_scratch_init(eddy_record_scratch *s)
{
    eddy_buf_init(&s->buf, 0);
    eddy_codec_ctx_init(&s->codec);
}

void eddy_record_scratch_deinit(eddy_record_scratch *s)
{
    eddy_buf_deinit(&s->buf);
    eddy_codec_ctx_deinit(&s->codec);
}

/* The parser for other modules; the hot loops here inline it. */
int eddy_record_read(eddy_reader *r, eddy_record *rec)
{
    return record_parse(r, rec);
}

/* ---- records of one batch --------------------------------------------- */

int eddy_record_iter_init(eddy_record_iter *it, const uint8_t *batch, size_t len,
                          eddy_record_scratch *scratch, size_t max_uncompressed)
{
    memset(&it->hdr, 0, sizeof it->hdr);
    it->err = 0;
    it->index = 0;
    eddy_reader_init(&it->r, NULL, 0);
    eddy_record_scratch_init(&it->own);
    it->scratch = scratch ? scratch : &it->own;

    int rc = eddy_batch_header_parse(batch, len, &it->hdr);
    if (rc) {
        goto fail;
    }
    size_t total = eddy_batch_total_size(&it->hdr);
    if (total > len) {
        rc = EDDY_ERR_CORRUPT_MESSAGE;
        goto fail;
    }
    const uint8_t *records = batch + EDDY_BATCH_HEADER_SIZE;
    size_t n = total - EDDY_BATCH_HEADER_SIZE;
    eddy_codec codec = eddy_batch_codec(&it->hdr);
    if (codec == EDDY_CODEC_NONE) {
        eddy_reader_init(&it->r, records, n);
        return 0;
    }
    if (codec > EDDY_CODEC_ZSTD) {
        rc = EDDY_ERR_UNSUPPORTED_COMPRESSION_TYPE;
        goto fail;
    }
    eddy_buf *out = &it->scratch->buf;
    eddy_buf_reset(out);
    rc = eddy_codec_decompress(
        &it->scratch->codec, codec, records, n,
        max_uncompressed ? max_uncompressed : EDDY_RECORD_DEFAULT_MAX_UNCOMPRESSED, out);
    if (rc) {
        rc = rc == EDDY_ERR_NOMEM ? EDDY_ERR_NOMEM : EDDY_ERR_CORRUPT_MESSAGE;
        goto fail;
    }
    eddy_reader_init(&it->r, out->data, out->len);
    return 0;
fail:
    it->err = rc;
    return rc;
}

bool eddy_record_iter_next(eddy_record_iter *it, eddy_record *rec)
{
    if (it->err) {
        return false;
    }
    if (it->index >= it->hdr.records_count) {
        if (eddy_reader_remaining(&it->r) != 0) {
            it->err = EDDY_ERR_CORRUPT_MESSAGE; /* bytes after the last record */
        }
        return false;
    }
    if (eddy_reader_remaining(&it->r) == 0 || record_parse(&it->r, rec) != 0) {
        it->err = EDDY_ERR_CORRUPT_MESSAGE;
        return false;
    }
    /* Wrapping sums: the deltas are untrusted and signed overflow is UB. */
    rec->offset = (int64_t)((uint64_t)it->hdr.base_offset + (uint64_t)(int64_t)rec->offset_delta);
    if (it->hdr.attributes & EDDY_BATCH_TIMESTAMP_LOG_APPEND) {
        rec->timestamp = it->hdr.max_timestamp;
    } else {
        rec->timestamp =
            (int64_t)((uint64_t)it->hdr.base_timestamp + (uint64_t)rec->timestamp_delta);
    }
    it->index++;
    return true;
}

void eddy_record_iter_deinit(eddy_record_iter *it)
{
    eddy_record_scratch_deinit(&it->own);
    it->scratch = NULL;
}

/* ---- headers of one record -------------------------------------------- */

void eddy_header_iter_init(eddy_header_iter *hi, const eddy_record *rec)
{
    eddy_reader_init(&hi->r, rec->headers, rec->headers_len);
    hi->left = rec->header_count;
}

bool eddy_header_iter_next(eddy_header_iter *hi, eddy_record_header *h)
{
    if (hi->left <= 0 || hi->r.err || !hi->r.p) {
        return false;
    }
    const uint8_t *p = hi->r.p + hi->r.pos, *end = hi->r.p + hi->r.len;
    if (!get_nullable(&p, end, &h->key) || h->key.len < 0 || !get_nullable(&p, end, &h->value)) {
        /* Only for a record that eddy_record_read did not check. */
        eddy_reader_fail(&hi->r);
        return false;
    }
    hi->r.pos = (size_t)(p - hi->r.p);
    hi->left--;
    return true;
}

/* ---- many batches ----------------------------------------------------- */

void eddy_batch_iter_init(eddy_batch_iter *it, const uint8_t *p, size_t len)
{
    it->p = p;
    it->len = p ? len : 0;
    it->pos = 0;
    it->err = 0;
}

bool eddy_batch_iter_next(eddy_batch_iter *it, const uint8_t **batch, eddy_batch_header *hdr)
{
    if (it->err) {
        return false;
    }
    size_t rest = it->len - it->pos;
    if (rest < EDDY_BATCH_LOG_OVERHEAD) {
        return false; /* the end, or a truncated last batch */
    }
    const uint8_t *p = it->p + it->pos;
    int32_t blen = (int32_t)eddy_load_be32(p + EDDY_BATCH_OFF_LENGTH);
    if (blen < EDDY_BATCH_HEADER_SIZE - EDDY_BATCH_LOG_OVERHEAD) {
        it->err = EDDY_ERR_CORRUPT_MESSAGE;
        return false;
    }
    if (rest > EDDY_BATCH_OFF_MAGIC && p[EDDY_BATCH_OFF_MAGIC] != 2) {
        it->err = EDDY_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT;
        return false;
    }
    size_t total = (size_t)blen + EDDY_BATCH_LOG_OVERHEAD;
    if (total > rest) {
        return false; /* a truncated last batch */
    }
    int rc = eddy_batch_header_parse(p, total, hdr);
    if (rc) {
        it->err = rc;
        return false;
    }
    *batch = p;
    it->pos += total;
    return true;
}
