/* Block codecs of Avro container files (see avro_int.h).
 *
 * deflate is raw DEFLATE (RFC 1951, no zlib or gzip wrapper), as the Avro
 * spec says, through libdeflate: whole-buffer calls, which is what a block
 * is. Bytes after the final DEFLATE block are ignored (python-avro leaves
 * some). The decompressed size is not stored, so decompression starts with a
 * guess and doubles the buffer, never past the caller's limit: a tiny
 * "bomb" fails with EDDY_ERR_LIMIT after allocating at most the limit.
 * snappy is one raw snappy block followed by the CRC-32 (IEEE, as zlib
 * computes it) of the uncompressed bytes, big-endian; the CRC is checked
 * on read. */
#include <libdeflate.h>
#include <snappy-c.h>
#include <stdlib.h>
#include <string.h>

#include "avro/avro_int.h"
#include "core/endian.h"
#include "core/error.h"

int eddy_avro_codec_parse(const char *s, eddy_avro_codec *out)
{
    if (!s) {
        return EDDY_ERR_UNSUPPORTED;
    }
    if (strcmp(s, "null") == 0) {
        *out = EDDY_AVRO_CODEC_NULL;
    } else if (strcmp(s, "deflate") == 0) {
        *out = EDDY_AVRO_CODEC_DEFLATE;
    } else if (strcmp(s, "snappy") == 0) {
        *out = EDDY_AVRO_CODEC_SNAPPY;
    } else {
        return EDDY_ERR_UNSUPPORTED;
    }
    return 0;
}

const char *eddy_avro_codec_name(eddy_avro_codec c)
{
    switch (c) {
    case EDDY_AVRO_CODEC_NULL:
        return "null";
    case EDDY_AVRO_CODEC_DEFLATE:
        return "deflate";
    case EDDY_AVRO_CODEC_SNAPPY:
        return "snappy";
    }
    return "unknown";
}

void avro_codec_ctx_deinit(avro_codec_ctx *ctx)
{
    if (ctx->deflater) {
        libdeflate_free_compressor(ctx->deflater);
    }
    if (ctx->inflater) {
        libdeflate_free_decompressor(ctx->inflater);
    }
    memset(ctx, 0, sizeof *ctx);
}

/* CRC-32 (IEEE) of snappy blocks: libdeflate's, which uses PCLMUL where
 * the CPU has it (3.4x zlib's crc32 on 256 KiB blocks here), with the
 * same result. */
static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
    return libdeflate_crc32(0, p, n);
}

int avro_block_compress(avro_codec_ctx *ctx, eddy_avro_codec codec, const uint8_t *src, size_t n,
                        eddy_buf *out)
{
    if (out->err) {
        return out->err;
    }
    switch (codec) {
    case EDDY_AVRO_CODEC_NULL:
        return eddy_buf_append(out, src, n);
    case EDDY_AVRO_CODEC_DEFLATE: {
        if (!ctx->deflater) {
            ctx->deflater = libdeflate_alloc_compressor(ctx->level ? ctx->level : 1);
            if (!ctx->deflater) {
                return EDDY_ERR_NOMEM;
            }
        }
        size_t bound = libdeflate_deflate_compress_bound(ctx->deflater, n);
        if (eddy_buf_reserve(out, bound)) {
            return out->err;
        }
        size_t got =
            libdeflate_deflate_compress(ctx->deflater, src, n, out->data + out->len, bound);
        if (got == 0) {
            return EDDY_ERR_UNKNOWN; /* cannot happen with the bound's room */
        }
        out->len += got;
        return 0;
    }
    case EDDY_AVRO_CODEC_SNAPPY: {
        size_t bound = snappy_max_compressed_length(n);
        if (eddy_buf_reserve(out, bound + 4)) {
            return out->err;
        }
        size_t got = bound;
        if (snappy_compress((const char *)src, n, (char *)out->data + out->len, &got) !=
            SNAPPY_OK) {
            return EDDY_ERR_NOMEM;
        }
        eddy_store_be32(out->data + out->len + got, crc32_ieee(src, n));
        out->len += got + 4;
        return 0;
    }
    }
    return EDDY_ERR_UNSUPPORTED;
}

static int inflate_block(avro_codec_ctx *ctx, const uint8_t *src, size_t n, size_t max_out,
                         eddy_buf *out, const char **what)
{
    if (!ctx->inflater) {
        ctx->inflater = libdeflate_alloc_decompressor();
        if (!ctx->inflater) {
            return EDDY_ERR_NOMEM;
        }
    }
    /* First guess: what the buffer already holds (the last block's size),
     * at least 4x the input and 64 KiB. */
    size_t room = out->cap > 65536 ? out->cap : 65536;
    if (n < SIZE_MAX / 4 && n * 4 > room) {
        room = n * 4;
    }
    for (;;) {
        if (room > max_out) {
            room = max_out;
        }
        if (eddy_buf_reserve(out, room)) {
            *what = "out of memory for the decompressed block";
            return out->err;
        }
        size_t got = 0;
        enum libdeflate_result res =
            libdeflate_deflate_decompress(ctx->inflater, src, n, out->data, room, &got);
        if (res == LIBDEFLATE_SUCCESS) {
            /* Bytes after the final block are ignored, as Java's Inflater
             * and zlib do: python-avro writes zlib.compress(data)[2:-1],
             * which leaves three bytes of the Adler-32 behind. */
            out->len = got;
            return 0;
        }
        if (res != LIBDEFLATE_INSUFFICIENT_SPACE) {
            *what = "corrupt deflate data";
            return EDDY_ERR_CORRUPT;
        }
        if (room >= max_out) {
            *what = "decompressed block over the size limit";
            return EDDY_ERR_LIMIT;
        }
        room = room > SIZE_MAX / 2 ? SIZE_MAX : room * 2;
    }
}

static int unsnappy_block(const uint8_t *src, size_t n, size_t max_out, eddy_buf *out,
                          const char **what)
{
    if (n < 4) {
        *what = "snappy block shorter than its CRC";
        return EDDY_ERR_CORRUPT;
    }
    size_t clen = n - 4;
    size_t ulen = 0;
    if (snappy_uncompressed_length((const char *)src, clen, &ulen) != SNAPPY_OK) {
        *what = "corrupt snappy data (length)";
        return EDDY_ERR_CORRUPT;
    }
    if (ulen > max_out) {
        *what = "decompressed block over the size limit";
        return EDDY_ERR_LIMIT;
    }
    if (eddy_buf_reserve(out, ulen ? ulen : 1)) {
        *what = "out of memory for the decompressed block";
        return out->err;
    }
    size_t got = ulen;
    if (snappy_uncompress((const char *)src, clen, (char *)out->data, &got) != SNAPPY_OK ||
        got != ulen) {
        *what = "corrupt snappy data";
        return EDDY_ERR_CORRUPT;
    }
    if (crc32_ieee(out->data, got) != eddy_load_be32(src + clen)) {
        *what = "snappy block CRC-32 mismatch";
        return EDDY_ERR_CORRUPT;
    }
    out->len = got;
    return 0;
}

int avro_block_decompress(avro_codec_ctx *ctx, eddy_avro_codec codec, const uint8_t *src, size_t n,
                          size_t max_out, eddy_buf *out, const char **what)
{
    eddy_buf_reset(out);
    switch (codec) {
    case EDDY_AVRO_CODEC_NULL:
        if (n > max_out) {
            *what = "block over the size limit";
            return EDDY_ERR_LIMIT;
        }
        if (eddy_buf_append(out, src, n)) {
            *what = "out of memory for the block";
            return out->err;
        }
        return 0;
    case EDDY_AVRO_CODEC_DEFLATE:
        return inflate_block(ctx, src, n, max_out, out, what);
    case EDDY_AVRO_CODEC_SNAPPY:
        return unsnappy_block(src, n, max_out, out, what);
    }
    *what = "unsupported codec";
    return EDDY_ERR_UNSUPPORTED;
}
