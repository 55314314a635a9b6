/* Records inside a v2 batch, and batches inside a buffer.
 *
 * Three iterators, from the outside in:
 *   eddy_batch_iter   walks many concatenated batches (a log segment slice,
 *                     a Fetch response's records) and yields whole batches;
 *   eddy_record_iter  walks the records of one batch, decompressing the
 *                     record array first when the batch is compressed;
 *   eddy_header_iter  walks one record's headers.
 * Everything they yield is borrowed: pointers into the caller's buffer (or,
 * for a compressed batch, into the decompression scratch), valid until that
 * buffer changes or the record iterator is deinitialised or reused.
 *
 * The bytes are untrusted: every read is bounded (eddy_reader), an iterator
 * stops with an error instead of reading past its input, and a compressed
 * batch is decompressed under an output limit. The record iterator does not
 * check the batch CRC (eddy_batch_crc_ok does) nor Produce's rules
 * (eddy_batch_validate does); it reads what a consumer would read.
 * Record layout: docs/format/record-batch.md. Not thread-safe; an iterator
 * belongs to one thread. */
#ifndef EDDY_RECORD_RECORDS_H
#define EDDY_RECORD_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/reader.h"
#include "record/batch.h"
#include "record/codec.h"

/* Decompression limit used when a caller passes 0. */
#define EDDY_RECORD_DEFAULT_MAX_UNCOMPRESSED ((size_t)64 << 20)

/* Borrowed bytes that Kafka lets be null: null is len -1 with ptr NULL;
 * empty is len 0 (ptr may be anything). */
typedef struct eddy_record_bytes {
    const uint8_t *ptr;
    int32_t len;
} eddy_record_bytes;

static inline bool eddy_record_bytes_is_null(eddy_record_bytes b)
{
    return b.len < 0;
}

/* One record header: key is never null (len >= 0); value may be null. */
typedef struct eddy_record_header {
    eddy_record_bytes key;
    eddy_record_bytes value;
} eddy_record_header;

/* One record as read. offset and timestamp are absolute (base + delta; for a
 * LogAppendTime batch the timestamp is the batch's maxTimestamp, as clients
 * read it). */
typedef struct eddy_record {
    int64_t offset;
    int64_t timestamp;
    int64_t timestamp_delta;
    int32_t offset_delta;
    int8_t attributes;
    eddy_record_bytes key;
    eddy_record_bytes value;
    int32_t header_count;
    const uint8_t *headers; /* the encoded headers, for eddy_header_iter */
    size_t headers_len;
} eddy_record;

/* Per-thread reusable memory for reading compressed batches: the output
 * buffer (kept between batches, so the hot path does not allocate) and the
 * codec contexts. Not thread-safe. */
typedef struct eddy_record_scratch {
    eddy_buf buf;
    eddy_codec_ctx codec;
} eddy_record_scratch;

void eddy_record_scratch_init(eddy_record_scratch *s);
void eddy_record_scratch_deinit(eddy_record_scratch *s);

/* Parses one record at r (untrusted) into rec: the length varint, then every
 * field, checking that each length stays inside the record, that header keys
 * are not null and that the fields fill the record exactly. Sets the deltas;
 * rec->offset and rec->timestamp are left 0 (they need the batch header).
 * Returns 0, or EDDY_ERR_CORRUPT_MESSAGE (then r has failed). */
int eddy_record_read(eddy_reader *r, eddy_record *rec);

/* ---- records of one batch --------------------------------------------- */

typedef struct eddy_record_iter {
    eddy_batch_header hdr; /* the batch's header, parsed at init */
    int err;               /* 0, or why iteration stopped early (sticky) */
    /* private */
    eddy_reader r;
    int32_t index;
    eddy_record_scratch *scratch;
    eddy_record_scratch own;
} eddy_record_iter;

/* Starts iterating the batch at batch[0..len) (borrowed; len covers at
 * least the whole batch, bytes after it are ignored). A compressed batch is
 * decompressed now, into scratch->buf (borrowed; it is reset first) or, when
 * scratch is NULL, into the iterator's own buffer, producing at most
 * max_uncompressed bytes (0 = EDDY_RECORD_DEFAULT_MAX_UNCOMPRESSED).
 * Returns 0, or sets and returns it->err: EDDY_ERR_CORRUPT_MESSAGE (short or
 * inconsistent header, corrupt or oversized compressed data),
 * EDDY_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT (magic not 2),
 * EDDY_ERR_UNSUPPORTED_COMPRESSION_TYPE (codec 5..7) or EDDY_ERR_NOMEM.
 * Call eddy_record_iter_deinit in every case. */
int eddy_record_iter_init(eddy_record_iter *it, const uint8_t *batch, size_t len,
                          eddy_record_scratch *scratch, size_t max_uncompressed);

/* Reads the next record into rec. Returns false at the end: it->err is then
 * 0 when the batch held exactly recordsCount well-formed records, else
 * EDDY_ERR_CORRUPT_MESSAGE (a malformed record, fewer records than the count,
 * or bytes after the last one); records yielded before that were whole. */
bool eddy_record_iter_next(eddy_record_iter *it, eddy_record *rec);

/* Frees the iterator's own buffer (if it used one). */
void eddy_record_iter_deinit(eddy_record_iter *it);

/* ---- headers of one record -------------------------------------------- */

typedef struct eddy_header_iter {
    eddy_reader r;
    int32_t left;
} eddy_header_iter;

/* Starts iterating rec's headers (rec came from eddy_record_read or
 * eddy_record_iter_next, which checked them). */
void eddy_header_iter_init(eddy_header_iter *hi, const eddy_record *rec);

/* Reads the next header; false after the last one. */
bool eddy_header_iter_next(eddy_header_iter *hi, eddy_record_header *h);

/* ---- many batches ----------------------------------------------------- */

typedef struct eddy_batch_iter {
    const uint8_t *p; /* borrowed */
    size_t len;
    size_t pos; /* start of the next batch */
    int err;    /* 0, or why iteration stopped (sticky) */
} eddy_batch_iter;

/* Starts walking p[0..len), batches back to back (borrowed). */
void eddy_batch_iter_init(eddy_batch_iter *it, const uint8_t *p, size_t len);

/* Yields the next whole batch: *batch points at it, hdr receives its header
 * and eddy_batch_total_size(hdr) its size. Returns false at the end: it->err
 * is 0 when the buffer ended at a batch boundary or in a truncated last batch
 * (Fetch responses may end so; eddy_batch_iter_rest() counts its bytes),
 * else EDDY_ERR_CORRUPT_MESSAGE (a batchLength under the header size) or
 * EDDY_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT (magic not 2). Checks no CRC. */
bool eddy_batch_iter_next(eddy_batch_iter *it, const uint8_t **batch, eddy_batch_header *hdr);

/* Bytes not yielded as whole batches. */
static inline size_t eddy_batch_iter_rest(const eddy_batch_iter *it)
{
    return it->len - it->pos;
}

#endif
