/* Primitive readers and writers of the Kafka wire format, for the generated
 * codec (gen/kafka_msgs.c) and the headers (header.c). Internal to the kafka
 * module: other modules use the generated message functions.
 *
 * "compact" selects the flexible-version (KIP-482) encodings: lengths and
 * counts as unsigned varints of N+1 with 0 meaning null. Otherwise strings
 * carry an int16 length and bytes and arrays an int32 one, -1 meaning null.
 * Readers fail the reader (sticky EDDY_ERR_PARSE) on a null where the version
 * does not allow one, on a negative length other than null, and on an array
 * count that the remaining bytes cannot hold. Writers never fail on a null in
 * a non-nullable version: they write an empty value instead. */
#ifndef EDDY_KAFKA_CODEC_H
#define EDDY_KAFKA_CODEC_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/reader.h"
#include "kafka/types.h"

/* Sets the buffer's sticky error unless one is set already. */
static inline void eddy_kafka_buf_fail(eddy_buf *b, int err)
{
    eddy_buf_fail(b, err);
}

/* Reads a length: compact uvarint N+1 or a big-endian int16/int32. Returns
 * -1 for null, -2 after a read failure. */
static inline int64_t eddy_kafka_rd_len(eddy_reader *r, bool compact, bool wide)
{
    int64_t n;
    if (compact) {
        n = (int64_t)eddy_reader_uvarint(r) - 1;
    } else {
        n = wide ? eddy_reader_i32(r) : eddy_reader_i16(r);
    }
    return r->err ? -2 : n;
}

static inline void eddy_kafka_rd_str(eddy_reader *r, bool compact, bool nullable, eddy_kstr *out)
{
    int64_t n = eddy_kafka_rd_len(r, compact, false);
    out->p = NULL;
    out->len = 0;
    if (n < 0) {
        if (n == -1 && nullable) {
            out->len = -1;
        } else {
            eddy_reader_fail(r);
        }
        return;
    }
    if (n > INT32_MAX) {
        eddy_reader_fail(r);
        return;
    }
    const uint8_t *p = eddy_reader_bytes(r, (size_t)n);
    if (p || n == 0) {
        out->p = (const char *)p;
        out->len = (int32_t)n;
    }
}

static inline void eddy_kafka_rd_bytes(eddy_reader *r, bool compact, bool nullable,
                                       eddy_kbytes *out)
{
    int64_t n = eddy_kafka_rd_len(r, compact, true);
    out->p = NULL;
    out->len = 0;
    if (n < 0) {
        if (n == -1 && nullable) {
            out->len = -1;
        } else {
            eddy_reader_fail(r);
        }
        return;
    }
    if (n > INT32_MAX) {
        eddy_reader_fail(r);
        return;
    }
    const uint8_t *p = eddy_reader_bytes(r, (size_t)n);
    if (p || n == 0) {
        out->p = p;
        out->len = (int32_t)n;
    }
}

/* Reads an array count; -1 is null. A count the remaining bytes cannot hold
 * at elem_min bytes per element fails the reader, so a hostile count never
 * reaches the allocator. Returns 0 after a failure. */
static inline int32_t eddy_kafka_rd_count(eddy_reader *r, bool compact, bool nullable,
                                          size_t elem_min)
{
    int64_t n = eddy_kafka_rd_len(r, compact, true);
    if (n < 0) {
        if (n == -1 && nullable) {
            return -1;
        }
        eddy_reader_fail(r);
        return 0;
    }
    if (n > INT32_MAX || (uint64_t)n > eddy_reader_remaining(r) / elem_min) {
        eddy_reader_fail(r);
        return 0;
    }
    return (int32_t)n;
}

static inline void eddy_kafka_rd_uuid(eddy_reader *r, eddy_kuuid *out)
{
    const uint8_t *p = eddy_reader_bytes(r, sizeof out->b);
    if (p) {
        memcpy(out->b, p, sizeof out->b);
    } else {
        memset(out->b, 0, sizeof out->b);
    }
}

/* Skips a tagged-field section (every field unknown to the caller). */
static inline void eddy_kafka_skip_tags(eddy_reader *r)
{
    uint32_t n = eddy_reader_uvarint(r);
    for (uint32_t i = 0; i < n && !r->err; i++) {
        (void)eddy_reader_uvarint(r);
        eddy_reader_skip(r, eddy_reader_uvarint(r));
    }
}

/* A known tagged field must fill its declared size exactly; otherwise the
 * enclosing reader fails. */
static inline void eddy_kafka_rd_tag_end(const eddy_reader *sub, eddy_reader *r)
{
    if (sub->err || eddy_reader_remaining(sub) != 0) {
        eddy_reader_fail(r);
    }
}

static inline void eddy_kafka_wr_len(eddy_buf *b, bool compact, bool wide, int64_t n)
{
    if (compact) {
        eddy_buf_put_uvarint(b, (uint64_t)(n + 1));
    } else if (wide) {
        eddy_buf_put_be32(b, (uint32_t)(int32_t)n);
    } else {
        eddy_buf_put_be16(b, (uint16_t)(int16_t)n);
    }
}

static inline void eddy_kafka_wr_str(eddy_buf *b, bool compact, bool nullable, eddy_kstr s)
{
    if (s.len < 0) {
        eddy_kafka_wr_len(b, compact, false, nullable ? -1 : 0);
        return;
    }
    if ((!compact && s.len > INT16_MAX) || (s.len > 0 && !s.p)) {
        eddy_kafka_buf_fail(b, EDDY_ERR_INVALID_ARG);
        return;
    }
    eddy_kafka_wr_len(b, compact, false, s.len);
    eddy_buf_append(b, s.p, (size_t)s.len);
}

static inline void eddy_kafka_wr_bytes(eddy_buf *b, bool compact, bool nullable, eddy_kbytes v)
{
    if (v.len < 0) {
        eddy_kafka_wr_len(b, compact, true, nullable ? -1 : 0);
        return;
    }
    if (v.len > 0 && !v.p) {
        eddy_kafka_buf_fail(b, EDDY_ERR_INVALID_ARG);
        return;
    }
    eddy_kafka_wr_len(b, compact, true, v.len);
    eddy_buf_append(b, v.p, (size_t)v.len);
}

/* Records: like bytes, except that p == NULL with len > 0 notes a gap for
 * the caller to fill (see eddy_kafka_gaps in types.h). */
static inline void eddy_kafka_wr_records(eddy_buf *b, bool compact, bool nullable, eddy_kbytes v,
                                         eddy_kafka_gaps *gaps)
{
    if (v.len <= 0 || v.p) {
        eddy_kafka_wr_bytes(b, compact, nullable, v);
        return;
    }
    if (!gaps) {
        eddy_kafka_buf_fail(b, EDDY_ERR_INVALID_ARG);
        return;
    }
    if (gaps->count == gaps->cap) {
        eddy_kafka_buf_fail(b, EDDY_ERR_LIMIT);
        return;
    }
    eddy_kafka_wr_len(b, compact, true, v.len);
    if (!b->err) {
        gaps->items[gaps->count].at = b->len;
        gaps->items[gaps->count].len = (size_t)v.len;
        gaps->count++;
    }
}

/* Writes an array count and returns how many elements to write after it:
 * null becomes empty where the version cannot say null, and items == NULL
 * with a positive count is the caller's error. */
static inline int32_t eddy_kafka_wr_count(eddy_buf *b, bool compact, bool nullable, int32_t count,
                                          bool has_items)
{
    if (count < 0) {
        eddy_kafka_wr_len(b, compact, true, nullable ? -1 : 0);
        return 0;
    }
    if (count > 0 && !has_items) {
        eddy_kafka_buf_fail(b, EDDY_ERR_INVALID_ARG);
        return 0;
    }
    eddy_kafka_wr_len(b, compact, true, count);
    return b->err ? 0 : count;
}

static inline void eddy_kafka_wr_f64(eddy_buf *b, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    eddy_buf_put_be64(b, v);
}

/* Starts a tagged field: writes its tag and returns where its value begins.
 * eddy_kafka_tag_end() then inserts the value's size in front of it. */
static inline size_t eddy_kafka_tag_begin(eddy_buf *b, uint32_t tag)
{
    eddy_buf_put_uvarint(b, tag);
    return b->len;
}

static inline void eddy_kafka_tag_end(eddy_buf *b, size_t start)
{
    if (b->err) {
        return;
    }
    size_t n = b->len - start;
    size_t vs = eddy_uvarint_size(n);
    if (!eddy_buf_extend(b, vs)) {
        return;
    }
    memmove(b->data + start + vs, b->data + start, n);
    eddy_uvarint_encode(b->data + start, n);
}

static inline bool eddy_kafka_uuid_is_zero(const eddy_kuuid *u)
{
    static const eddy_kuuid zero;
    return memcmp(u->b, zero.b, sizeof zero.b) == 0;
}

/* True when s equals the len bytes at lit (len -1: when s is null). */
static inline bool eddy_kafka_str_is(eddy_kstr s, const char *lit, int32_t len)
{
    if (len < 0 || s.len < 0) {
        return s.len == len;
    }
    return s.len == len && (len == 0 || memcmp(s.p, lit, (size_t)len) == 0);
}

#endif
