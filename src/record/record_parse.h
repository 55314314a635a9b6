/* The record parser, inline for the two hot loops that call it once per
 * record (eddy_batch_validate and eddy_record_iter_next). Private to the
 * record module: other modules call eddy_record_read (records.h). */
#ifndef EDDY_RECORD_PARSE_H
#define EDDY_RECORD_PARSE_H

#include "core/error.h"
#include "core/reader.h"
#include "core/varint.h"
#include "record/records.h"

/* The record parser works on a pointer and an end, because it is the
 * produce hot path (one call per record): every read is checked against the
 * end first, as eddy_reader would, and varints of one or two bytes (almost
 * every record field) take a short path. */

/* Unsigned varint of at most max_bytes at *pp (< end); false if truncated,
 * too long or over the width, with the rules of eddy_reader. */
static inline bool get_uvarint(const uint8_t **pp, const uint8_t *end, size_t max_bytes,
                               uint64_t *v)
{
    const uint8_t *p = *pp;
    if (p < end && p[0] < 0x80) {
        *v = p[0];
        *pp = p + 1;
        return true;
    }
    if (end - p >= 2 && p[1] < 0x80) {
        *v = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
        *pp = p + 2;
        return true;
    }
    size_t n = eddy_uvarint_decode(p, (size_t)(end - p), max_bytes, v);
    *pp = p + n;
    return n != 0;
}

static inline bool get_varint(const uint8_t **pp, const uint8_t *end, int32_t *v)
{
    uint64_t u;
    if (!get_uvarint(pp, end, EDDY_VARINT32_MAX, &u)) {
        return false;
    }
    *v = eddy_unzigzag32((uint32_t)u);
    return true;
}

/* Kafka's nullable bytes: a zigzag varint length (-1 = null), then bytes. */
static inline bool get_nullable(const uint8_t **pp, const uint8_t *end, eddy_record_bytes *b)
{
    int32_t n;
    if (!get_varint(pp, end, &n) || n < -1 || n > end - *pp) {
        return false;
    }
    b->len = n;
    b->ptr = n < 0 ? NULL : *pp;
    *pp += n < 0 ? 0 : n;
    return true;
}

static inline int record_parse(eddy_reader *r, eddy_record *rec)
{
    if (r->err || r->pos >= r->len) {
        goto fail;
    }
    const uint8_t *p = r->p + r->pos, *end = r->p + r->len;
    int32_t len;
    if (!get_varint(&p, end, &len) || len <= 0 || len > end - p) {
        goto fail;
    }
    const uint8_t *rend = p + len; /* every field must stay inside the record */
    rec->attributes = (int8_t)*p++;
    uint64_t ts;
    int32_t count;
    if (!get_uvarint(&p, rend, EDDY_VARINT64_MAX, &ts) ||
        !get_varint(&p, rend, &rec->offset_delta) || !get_nullable(&p, rend, &rec->key) ||
        !get_nullable(&p, rend, &rec->value) || !get_varint(&p, rend, &count) || count < 0) {
        goto fail;
    }
    rec->timestamp_delta = eddy_unzigzag64(ts);
    rec->headers = p;
    /* Each header takes at least two bytes, so a huge count fails on the
     * record's length long before it costs time. */
    for (int32_t i = 0; i < count; i++) {
        eddy_record_bytes k, v;
        if (!get_nullable(&p, rend, &k) || k.len < 0 || !get_nullable(&p, rend, &v)) {
            goto fail; /* header keys are strings: never null */
        }
    }
    if (p != rend) {
        goto fail; /* the fields must fill the record's length exactly */
    }
    rec->header_count = count;
    rec->headers_len = (size_t)(p - rec->headers);
    rec->offset = 0;
    rec->timestamp = 0;
    r->pos = (size_t)(rend - r->p);
    return 0;
fail:
    eddy_reader_fail(r);
    return EDDY_ERR_CORRUPT_MESSAGE;
}

#endif
