/* Varints as Kafka uses them.
 *
 * The protocol's "unsigned varint" (compact lengths, tagged fields) is plain
 * LEB128; record-level varint/varlong are zigzag-encoded LEB128 (as protobuf
 * sint32/sint64). An unsigned varint of a 32-bit quantity is at most 5 bytes,
 * of a 64-bit one at most 10; longer encodings are rejected as malformed. */
#ifndef EDDY_CORE_VARINT_H
#define EDDY_CORE_VARINT_H

#include <stddef.h>
#include <stdint.h>

#define EDDY_VARINT32_MAX 5
#define EDDY_VARINT64_MAX 10

static inline uint32_t eddy_zigzag32(int32_t v)
{
    return ((uint32_t)v << 1) ^ (uint32_t)(v >> 31);
}

static inline int32_t eddy_unzigzag32(uint32_t v)
{
    return (int32_t)((v >> 1) ^ (~(v & 1) + 1));
}

static inline uint64_t eddy_zigzag64(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t eddy_unzigzag64(uint64_t v)
{
    return (int64_t)((v >> 1) ^ (~(v & 1) + 1));
}

/* Writes v as LEB128 into out (room for EDDY_VARINT64_MAX bytes); returns
 * the number of bytes written. */
static inline size_t eddy_uvarint_encode(uint8_t *out, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

/* Returns the encoded size of v in bytes. */
static inline size_t eddy_uvarint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

/* Decodes an unsigned varint of at most max_bytes (5 for 32-bit values, 10 for
 * 64-bit) from p[0..len). Returns the bytes consumed, or 0 when the input is
 * truncated, too long, or overflows the width. */
size_t eddy_uvarint_decode(const uint8_t *p, size_t len, size_t max_bytes, uint64_t *out);

#endif
