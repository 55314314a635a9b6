/* Private to src/avro: the block codecs shared by the writer and the
 * reader, and small encoding helpers. */
#ifndef EDDY_AVRO_AVRO_INT_H
#define EDDY_AVRO_AVRO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "avro/avro.h"
#include "core/buf.h"

struct libdeflate_compressor;
struct libdeflate_decompressor;

/* Codec library state, created on first use and kept (one per writer or
 * reader). Zero-initialised is the empty state. */
typedef struct avro_codec_ctx {
    struct libdeflate_compressor *deflater;
    int level;
    struct libdeflate_decompressor *inflater;
} avro_codec_ctx;

void avro_codec_ctx_deinit(avro_codec_ctx *ctx);

/* Compresses src[0..n) as one block's data and appends it to out: raw
 * DEFLATE, or raw snappy followed by the big-endian CRC-32 of src. Returns 0,
 * EDDY_ERR_NOMEM or out's error. */
int avro_block_compress(avro_codec_ctx *ctx, eddy_avro_codec codec, const uint8_t *src, size_t n,
                        eddy_buf *out);

/* Decompresses a block's stored data src[0..n) (untrusted) into out (reset
 * first), producing at most max_out bytes. Returns 0, or EDDY_ERR_CORRUPT,
 * EDDY_ERR_LIMIT or EDDY_ERR_NOMEM with *what describing the problem. */
int avro_block_decompress(avro_codec_ctx *ctx, eddy_avro_codec codec, const uint8_t *src, size_t n,
                          size_t max_out, eddy_buf *out, const char **what);

/* Writes the decimal digits of v at out (room for 20); returns the count. */
size_t avro_u64_to_dec(uint64_t v, char *out);

/* Length of the valid UTF-8 sequence at s[0..n) that starts with a byte
 * >= 0x80, or 0 (no overlongs, surrogates or code points past U+10FFFF). */
size_t avro_utf8_seq(const uint8_t *s, size_t n);

/* True when s[0..n) is valid UTF-8. */
bool avro_utf8_valid(const uint8_t *s, size_t n);

/* Appends v as shortest-round-trip JSON number text (no NaN/Inf). */
void avro_json_put_double(eddy_buf *out, double v, bool single);

#endif
