/* Growable byte buffers with a size cap, and big-endian / varint writers.
 *
 * A buffer never grows past its cap: the write that would cross it fails with
 * EDDY_ERR_LIMIT. Writers are sticky: after the first failure (cap or memory)
 * every later write is ignored and b->err keeps the first error, so an encoder
 * can write a whole message and check once at the end. */
#ifndef EDDY_CORE_BUF_H
#define EDDY_CORE_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "core/endian.h"
#include "core/varint.h"

typedef struct eddy_buf {
    uint8_t *data; /* owned; NULL until the first write */
    size_t len;    /* bytes in use */
    size_t cap;    /* bytes allocated */
    size_t max;    /* cap on len; SIZE_MAX for none */
    int err;       /* first error (eddy_err), sticky until reset */
} eddy_buf;

/* Initialises an empty buffer that may hold at most max bytes (0 = no cap). */
void eddy_buf_init(eddy_buf *b, size_t max);

/* Frees the storage. The buffer may be initialised again afterwards. */
void eddy_buf_deinit(eddy_buf *b);

/* Empties the buffer and clears the sticky error; keeps the storage. */
void eddy_buf_reset(eddy_buf *b);

/* Makes room for extra more bytes. Returns 0 or the (sticky) error. */
int eddy_buf_reserve(eddy_buf *b, size_t extra);

/* Appends n bytes and returns a pointer to them for the caller to fill, or
 * NULL on error (then b->err is set). The pointer is valid until the next
 * write. */
uint8_t *eddy_buf_extend(eddy_buf *b, size_t n);

/* Appends n bytes from p. Returns 0 or the sticky error. */
int eddy_buf_append(eddy_buf *b, const void *p, size_t n);

/* Fails the buffer with err (an eddy_err) unless it failed already: encoders
 * use it for their own errors (a value that cannot be encoded), so the
 * first error stays sticky as for a cap or memory failure. */
static inline void eddy_buf_fail(eddy_buf *b, int err)
{
    if (!b->err) {
        b->err = err;
    }
}

/* Transfers the data to the caller (returns owned; free with free()) and
 * leaves the buffer empty. *len receives the length. */
uint8_t *eddy_buf_take(eddy_buf *b, size_t *len);

static inline int eddy_buf_put_u8(eddy_buf *b, uint8_t v)
{
    uint8_t *p = eddy_buf_extend(b, 1);
    if (p) {
        *p = v;
    }
    return b->err;
}

static inline int eddy_buf_put_be16(eddy_buf *b, uint16_t v)
{
    uint8_t *p = eddy_buf_extend(b, 2);
    if (p) {
        eddy_store_be16(p, v);
    }
    return b->err;
}

static inline int eddy_buf_put_be32(eddy_buf *b, uint32_t v)
{
    uint8_t *p = eddy_buf_extend(b, 4);
    if (p) {
        eddy_store_be32(p, v);
    }
    return b->err;
}

static inline int eddy_buf_put_be64(eddy_buf *b, uint64_t v)
{
    uint8_t *p = eddy_buf_extend(b, 8);
    if (p) {
        eddy_store_be64(p, v);
    }
    return b->err;
}

/* Unsigned LEB128 (Kafka's "unsigned varint"). */
int eddy_buf_put_uvarint(eddy_buf *b, uint64_t v);

/* Zigzag varint / varlong (record-level fields). */
static inline int eddy_buf_put_varint(eddy_buf *b, int32_t v)
{
    return eddy_buf_put_uvarint(b, eddy_zigzag32(v));
}

static inline int eddy_buf_put_varlong(eddy_buf *b, int64_t v)
{
    return eddy_buf_put_uvarint(b, eddy_zigzag64(v));
}

#endif
