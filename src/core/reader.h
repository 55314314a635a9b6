/* A bounded reader for untrusted bytes.
 *
 * Every read checks the remaining length. The first failure (truncation, an
 * overlong varint, a length over a limit) sets r->err to EDDY_ERR_PARSE and
 * moves the reader to its end; later reads return zero values and empty
 * slices. A decoder therefore reads a whole structure straight through and
 * checks r->err once, at one error label. Nothing here asserts on input. */
#ifndef EDDY_CORE_READER_H
#define EDDY_CORE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/endian.h"
#include "core/error.h"
#include "core/varint.h"

typedef struct eddy_reader {
    const uint8_t *p; /* borrowed */
    size_t len;
    size_t pos;
    int err; /* 0 or EDDY_ERR_PARSE, sticky */
} eddy_reader;

static inline void eddy_reader_init(eddy_reader *r, const void *p, size_t len)
{
    r->p = (const uint8_t *)p;
    r->len = p ? len : 0;
    r->pos = 0;
    r->err = 0;
}

/* Marks the reader failed (used by callers for semantic checks too). */
static inline void eddy_reader_fail(eddy_reader *r)
{
    r->err = EDDY_ERR_PARSE;
    r->pos = r->len;
}

static inline size_t eddy_reader_remaining(const eddy_reader *r)
{
    return r->len - r->pos;
}

static inline bool eddy_reader_ok(const eddy_reader *r)
{
    return r->err == 0;
}

/* Returns a pointer to the next n bytes and advances, or NULL (and fails the
 * reader) when fewer remain. n == 0 returns a valid pointer or NULL for an
 * empty reader without failing it. */
static inline const uint8_t *eddy_reader_bytes(eddy_reader *r, size_t n)
{
    if (n > r->len - r->pos) {
        eddy_reader_fail(r);
        return NULL;
    }
    const uint8_t *p = r->p ? r->p + r->pos : NULL;
    r->pos += n;
    return p;
}

static inline void eddy_reader_skip(eddy_reader *r, size_t n)
{
    (void)eddy_reader_bytes(r, n);
}

static inline uint8_t eddy_reader_u8(eddy_reader *r)
{
    const uint8_t *p = eddy_reader_bytes(r, 1);
    return p ? p[0] : 0;
}

static inline int8_t eddy_reader_i8(eddy_reader *r)
{
    return (int8_t)eddy_reader_u8(r);
}

static inline int16_t eddy_reader_i16(eddy_reader *r)
{
    const uint8_t *p = eddy_reader_bytes(r, 2);
    return p ? (int16_t)eddy_load_be16(p) : 0;
}

static inline uint16_t eddy_reader_u16(eddy_reader *r)
{
    const uint8_t *p = eddy_reader_bytes(r, 2);
    return p ? eddy_load_be16(p) : 0;
}

static inline int32_t eddy_reader_i32(eddy_reader *r)
{
    const uint8_t *p = eddy_reader_bytes(r, 4);
    return p ? (int32_t)eddy_load_be32(p) : 0;
}

static inline uint32_t eddy_reader_u32(eddy_reader *r)
{
    const uint8_t *p = eddy_reader_bytes(r, 4);
    return p ? eddy_load_be32(p) : 0;
}

static inline int64_t eddy_reader_i64(eddy_reader *r)
{
    const uint8_t *p = eddy_reader_bytes(r, 8);
    return p ? (int64_t)eddy_load_be64(p) : 0;
}

static inline double eddy_reader_f64(eddy_reader *r)
{
    const uint8_t *p = eddy_reader_bytes(r, 8);
    double d = 0;
    if (p) {
        uint64_t v = eddy_load_be64(p);
        memcpy(&d, &v, sizeof d);
    }
    return d;
}

/* Decodes an unsigned varint of at most max_bytes (5 or 10). Inline: it is
 * on the record-parsing hot path. */
static inline uint64_t eddy_reader_uvarint_n(eddy_reader *r, size_t max_bytes)
{
    size_t avail = r->len - r->pos;
    if (!avail) {
        eddy_reader_fail(r);
        return 0;
    }
    const uint8_t *p = r->p + r->pos;
    size_t lim = avail < max_bytes ? avail : max_bytes;
    uint64_t v = 0;
    for (size_t i = 0; i < lim; i++) {
        uint8_t b = p[i];
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            /* The last permitted byte may only carry the width's top bits. */
            if (i == max_bytes - 1 && (b >> (max_bytes == EDDY_VARINT32_MAX ? 4 : 1)) != 0) {
                break;
            }
            r->pos += i + 1;
            return v;
        }
    }
    eddy_reader_fail(r);
    return 0;
}

/* Kafka "unsigned varint" (32-bit). */
static inline uint32_t eddy_reader_uvarint(eddy_reader *r)
{
    return (uint32_t)eddy_reader_uvarint_n(r, EDDY_VARINT32_MAX);
}

/* Record-level zigzag varint (32-bit). */
static inline int32_t eddy_reader_varint(eddy_reader *r)
{
    return eddy_unzigzag32((uint32_t)eddy_reader_uvarint_n(r, EDDY_VARINT32_MAX));
}

/* Record-level zigzag varlong (64-bit). */
static inline int64_t eddy_reader_varlong(eddy_reader *r)
{
    return eddy_unzigzag64(eddy_reader_uvarint_n(r, EDDY_VARINT64_MAX));
}

/* Splits off the next n bytes as a reader of their own (fails both when
 * fewer remain). */
static inline eddy_reader eddy_reader_sub(eddy_reader *r, size_t n)
{
    eddy_reader sub;
    const uint8_t *p = eddy_reader_bytes(r, n);
    eddy_reader_init(&sub, p, p ? n : 0);
    if (!p) {
        sub.err = EDDY_ERR_PARSE;
    }
    return sub;
}

#endif
