/* Compression codecs (see codec.h).
 *
 * Every decompressor writes through a "sink": room in the caller's eddy_buf
 * that grows geometrically but never past the output limit. When the limit is
 * reached the sink hands out a one-byte probe instead; a codec that writes
 * into the probe had more output than allowed, which is how a stream of
 * exactly max_out bytes is told apart from a longer one without allocating a
 * byte more than the limit. */
#include "record/codec.h"

#include <limits.h>
#include <lz4frame.h>
#include <snappy-c.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "core/endian.h"
#include "core/error.h"

/* xerial snappy framing: magic, then version and compatible-version int32s. */
static const uint8_t xerial_magic[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
#define XERIAL_HEADER_SIZE 16
#define XERIAL_BLOCK_SIZE  (32 * 1024) /* what the Java xerial library writes */

/* First allocation for an output of unknown size. */
#define SINK_MIN_GROW 4096

typedef struct sink {
    eddy_buf *out;
    size_t start; /* out->len on entry */
    size_t max;   /* bytes this call may append */
    uint8_t probe;
} sink;

static void sink_init(sink *s, eddy_buf *out, size_t max_out)
{
    s->out = out;
    s->start = out->len;
    size_t cap_left = out->max - out->len;
    s->max = max_out && max_out < cap_left ? max_out : cap_left;
    s->probe = 0;
}

static size_t sink_left(const sink *s)
{
    return s->max - (s->out->len - s->start);
}

/* Reserves exactly n more bytes (a size the stream declared); n over the
 * limit is EDDY_ERR_LIMIT. */
static int sink_reserve(sink *s, size_t n)
{
    if (n > sink_left(s)) {
        return EDDY_ERR_LIMIT;
    }
    return n ? eddy_buf_reserve(s->out, n) : 0;
}

/* Where n reserved bytes go; a dummy for n == 0 (the buffer may have no
 * storage yet). */
static uint8_t *sink_at(sink *s, size_t n)
{
    return n ? s->out->data + s->out->len : &s->probe;
}

/* Points *dst at writable room of *n >= 1 bytes. want hints how much to grow
 * by when the buffer is full. At the limit, the room is the probe byte. */
static int sink_room(sink *s, size_t want, uint8_t **dst, size_t *n)
{
    size_t left = sink_left(s);
    if (left == 0) {
        *dst = &s->probe;
        *n = 1;
        return 0;
    }
    eddy_buf *b = s->out;
    size_t avail = b->data ? b->cap - b->len : 0;
    if (avail == 0) {
        size_t grow = want > b->cap ? want : b->cap; /* at least doubles */
        grow = grow < SINK_MIN_GROW ? SINK_MIN_GROW : grow;
        grow = grow < left ? grow : left;
        int rc = eddy_buf_reserve(b, grow);
        if (rc) {
            return rc;
        }
        avail = b->cap - b->len;
    }
    *dst = b->data + b->len;
    *n = avail < left ? avail : left;
    return 0;
}

/* Accounts for n bytes written at dst (from sink_room). */
static int sink_commit(sink *s, const uint8_t *dst, size_t n)
{
    if (dst == &s->probe) {
        return n ? EDDY_ERR_LIMIT : 0;
    }
    s->out->len += n;
    return 0;
}

const char *eddy_codec_name(int codec)
{
    switch (codec) {
    case EDDY_CODEC_NONE:
        return "none";
    case EDDY_CODEC_GZIP:
        return "gzip";
    case EDDY_CODEC_SNAPPY:
        return "snappy";
    case EDDY_CODEC_LZ4:
        return "lz4";
    case EDDY_CODEC_ZSTD:
        return "zstd";
    default:
        return "unknown";
    }
}

void eddy_codec_ctx_init(eddy_codec_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
}

void eddy_codec_ctx_deinit(eddy_codec_ctx *ctx)
{
    if (ctx->inflater) {
        inflateEnd(ctx->inflater);
        free(ctx->inflater);
    }
    ZSTD_freeDCtx(ctx->zstd_d);
    ZSTD_freeCCtx(ctx->zstd_c);
    if (ctx->lz4_d) {
        LZ4F_freeDecompressionContext(ctx->lz4_d);
    }
    memset(ctx, 0, sizeof *ctx);
}

/* ---- gzip ------------------------------------------------------------- */

static int gzip_inflater(eddy_codec_ctx *ctx, z_stream **zsp)
{
    if (ctx->inflater) {
        *zsp = ctx->inflater;
        return inflateReset(ctx->inflater) == Z_OK ? 0 : EDDY_ERR_NOMEM;
    }
    z_stream *zs = calloc(1, sizeof *zs);
    if (!zs) {
        return EDDY_ERR_NOMEM;
    }
    /* 15 + 16: a 32 KiB window, gzip wrapper only (RFC 1952). */
    if (inflateInit2(zs, 15 + 16) != Z_OK) {
        free(zs);
        return EDDY_ERR_NOMEM;
    }
    ctx->inflater = zs;
    *zsp = zs;
    return 0;
}

static int gzip_decompress(eddy_codec_ctx *ctx, const uint8_t *src, size_t len, sink *s)
{
    z_stream *zs;
    int rc = gzip_inflater(ctx, &zs);
    if (rc) {
        return rc;
    }
    if (len == 0) {
        return EDDY_ERR_CORRUPT;
    }
    const uint8_t *in_end = src + len;
    zs->next_in = (Bytef *)src;
    zs->avail_in = 0;
    for (;;) {
        /* avail_in is a uInt: feed inputs over 4 GiB in pieces. */
        if (zs->avail_in == 0 && zs->next_in < in_end) {
            size_t rest = (size_t)(in_end - zs->next_in);
            zs->avail_in = rest > UINT_MAX ? UINT_MAX : (uInt)rest;
        }
        uint8_t *dst;
        size_t room;
        rc = sink_room(s, len < SIZE_MAX / 4 ? len * 4 : SIZE_MAX, &dst, &room);
        if (rc) {
            return rc;
        }
        zs->next_out = dst;
        zs->avail_out = room > UINT_MAX ? UINT_MAX : (uInt)room;
        uInt given = zs->avail_out;
        int zr = inflate(zs, Z_NO_FLUSH);
        rc = sink_commit(s, dst, given - zs->avail_out);
        if (rc) {
            return rc;
        }
        bool input_done = zs->avail_in == 0 && zs->next_in == in_end;
        if (zr == Z_STREAM_END) {
            if (input_done) {
                return 0;
            }
            /* Another gzip member follows (multi-member stream). */
            if (inflateReset(zs) != Z_OK) {
                return EDDY_ERR_CORRUPT;
            }
            continue;
        }
        if (zr == Z_OK || zr == Z_BUF_ERROR) {
            /* No end of stream yet: either the output filled (go round for
             * more room) or the input ran out (truncated). */
            if (zs->avail_out > 0 && input_done) {
                return EDDY_ERR_CORRUPT;
            }
            if (zr == Z_BUF_ERROR && zs->avail_out > 0 && zs->avail_in > 0) {
                return EDDY_ERR_CORRUPT; /* no progress possible */
            }
            continue;
        }
        return zr == Z_MEM_ERROR ? EDDY_ERR_NOMEM : EDDY_ERR_CORRUPT;
    }
}

static int gzip_compress(const eddy_codec_opts *opts, const uint8_t *src, size_t len, eddy_buf *out)
{
    if (len > UINT_MAX) {
        return EDDY_ERR_LIMIT;
    }
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    int level = opts && opts->level ? opts->level : Z_DEFAULT_COMPRESSION;
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return EDDY_ERR_NOMEM;
    }
    uLong bound = deflateBound(&zs, (uLong)len);
    int rc = eddy_buf_reserve(out, bound);
    if (rc == 0) {
        zs.next_in = (Bytef *)src;
        zs.avail_in = (uInt)len;
        zs.next_out = out->data + out->len;
        zs.avail_out = (uInt)(bound > UINT_MAX ? UINT_MAX : bound);
        if (deflate(&zs, Z_FINISH) == Z_STREAM_END) {
            out->len += zs.total_out;
        } else {
            rc = EDDY_ERR_NOMEM;
        }
    }
    deflateEnd(&zs);
    return rc;
}

/* ---- snappy ----------------------------------------------------------- */

static int snappy_raw_decompress(const uint8_t *src, size_t len, sink *s)
{
    size_t ulen;
    if (snappy_uncompressed_length((const char *)src, len, &ulen) != SNAPPY_OK) {
        return EDDY_ERR_CORRUPT;
    }
    int rc = sink_reserve(s, ulen);
    if (rc) {
        return rc;
    }
    size_t got = ulen;
    if (snappy_uncompress((const char *)src, len, (char *)sink_at(s, ulen), &got) != SNAPPY_OK ||
        got != ulen) {
        return EDDY_ERR_CORRUPT;
    }
    s->out->len += got;
    return 0;
}

static bool is_xerial(const uint8_t *src, size_t len)
{
    return len >= sizeof xerial_magic && memcmp(src, xerial_magic, sizeof xerial_magic) == 0;
}

static int snappy_decompress(const uint8_t *src, size_t len, sink *s)
{
    if (!is_xerial(src, len)) {
        return snappy_raw_decompress(src, len, s);
    }
    /* The two version fields are not checked: every xerial version so far
     * has the same block layout, and librdkafka ignores them too. */
    if (len < XERIAL_HEADER_SIZE) {
        return EDDY_ERR_CORRUPT;
    }
    size_t pos = XERIAL_HEADER_SIZE;
    while (pos < len) {
        if (len - pos < 4) {
            return EDDY_ERR_CORRUPT;
        }
        uint32_t blen = eddy_load_be32(src + pos);
        pos += 4;
        if (blen > INT32_MAX || blen > len - pos) {
            return EDDY_ERR_CORRUPT;
        }
        int rc = snappy_raw_decompress(src + pos, blen, s);
        if (rc) {
            return rc;
        }
        pos += blen;
    }
    return 0;
}

static int snappy_compress_raw(const uint8_t *src, size_t len, eddy_buf *out)
{
    static const char empty[1];
    size_t bound = snappy_max_compressed_length(len);
    int rc = eddy_buf_reserve(out, bound);
    if (rc) {
        return rc;
    }
    size_t n = bound;
    if (snappy_compress(len ? (const char *)src : empty, len, (char *)out->data + out->len, &n) !=
        SNAPPY_OK) {
        return EDDY_ERR_NOMEM;
    }
    out->len += n;
    return 0;
}

static int snappy_compress_xerial(const uint8_t *src, size_t len, eddy_buf *out)
{
    eddy_buf_append(out, xerial_magic, sizeof xerial_magic);
    eddy_buf_put_be32(out, 1); /* version */
    eddy_buf_put_be32(out, 1); /* compatible version */
    for (size_t pos = 0; pos < len && !out->err; pos += XERIAL_BLOCK_SIZE) {
        size_t n = len - pos < XERIAL_BLOCK_SIZE ? len - pos : XERIAL_BLOCK_SIZE;
        size_t at = out->len;
        if (eddy_buf_put_be32(out, 0) || snappy_compress_raw(src + pos, n, out)) {
            break;
        }
        eddy_store_be32(out->data + at, (uint32_t)(out->len - at - 4));
    }
    return out->err;
}

/* ---- lz4 -------------------------------------------------------------- */

static int lz4_decompress(eddy_codec_ctx *ctx, const uint8_t *src, size_t len, sink *s)
{
    if (ctx->lz4_d) {
        LZ4F_resetDecompressionContext(ctx->lz4_d);
    } else if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx->lz4_d, LZ4F_VERSION))) {
        ctx->lz4_d = NULL;
        return EDDY_ERR_NOMEM;
    }
    LZ4F_dctx *d = ctx->lz4_d;

    /* Read the first frame's header to size the output and to refuse a
     * declared size over the limit before decoding anything. */
    LZ4F_frameInfo_t fi;
    size_t pos = len;
    size_t hint = LZ4F_getFrameInfo(d, &fi, src, &pos);
    if (LZ4F_isError(hint)) {
        return EDDY_ERR_CORRUPT;
    }
    if (fi.frameType == LZ4F_frame && fi.contentSize > 0) {
        if (fi.contentSize > sink_left(s)) {
            return EDDY_ERR_LIMIT;
        }
        int rc = sink_reserve(s, (size_t)fi.contentSize);
        if (rc) {
            return rc;
        }
    }
    int stalls = 0;
    while (pos < len || hint != 0) {
        if (pos == len) {
            return EDDY_ERR_CORRUPT; /* the frame wants more input */
        }
        uint8_t *dst;
        size_t room;
        int rc = sink_room(s, 64 * 1024, &dst, &room);
        if (rc) {
            return rc;
        }
        size_t dn = room, sn = len - pos;
        hint = LZ4F_decompress(d, dst, &dn, src + pos, &sn, NULL);
        if (LZ4F_isError(hint)) {
            return EDDY_ERR_CORRUPT;
        }
        rc = sink_commit(s, dst, dn);
        if (rc) {
            return rc;
        }
        pos += sn;
        /* hint == 0: a frame ended; more input means another frame. */
        stalls = dn == 0 && sn == 0 ? stalls + 1 : 0;
        if (stalls > 2) {
            return EDDY_ERR_CORRUPT;
        }
    }
    return 0;
}

static int lz4_compress(const eddy_codec_opts *opts, const uint8_t *src, size_t len, eddy_buf *out)
{
    LZ4F_preferences_t prefs;
    memset(&prefs, 0, sizeof prefs);
    /* Kafka's Java reader wants independent blocks; 64 KiB is its default. */
    prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    prefs.frameInfo.blockMode = LZ4F_blockIndependent;
    prefs.frameInfo.contentSize = len;
    prefs.compressionLevel = opts ? opts->level : 0;
    size_t bound = LZ4F_compressFrameBound(len, &prefs);
    int rc = eddy_buf_reserve(out, bound);
    if (rc) {
        return rc;
    }
    size_t n = LZ4F_compressFrame(out->data + out->len, bound, src, len, &prefs);
    if (LZ4F_isError(n)) {
        return EDDY_ERR_NOMEM;
    }
    out->len += n;
    return 0;
}

/* ---- zstd ------------------------------------------------------------- */

static int zstd_error(size_t r)
{
    switch (ZSTD_getErrorCode(r)) {
    case ZSTD_error_memory_allocation:
        return EDDY_ERR_NOMEM;
    case ZSTD_error_frameParameter_windowTooLarge:
        return EDDY_ERR_LIMIT;
    default:
        return EDDY_ERR_CORRUPT;
    }
}

/* The largest window a frame may ask for, as a power of two. A frame
 * without a content size makes the decoder allocate its whole window, so the
 * window is held near the output limit; but not under 8 MiB, because
 * encoders pick windows by level, not by input size, when streaming (zstd's
 * level 19 uses 8 MiB). */
#define ZSTD_WINDOW_LOG_MIN 23 /* 8 MiB */
#define ZSTD_WINDOW_LOG_MAX 27 /* 128 MiB: zstd's own default limit */

static int zstd_window_log(size_t max_out)
{
    int wl = ZSTD_WINDOW_LOG_MIN;
    while (wl < ZSTD_WINDOW_LOG_MAX && ((size_t)1 << wl) < max_out) {
        wl++;
    }
    return wl;
}

static int zstd_decompress(eddy_codec_ctx *ctx, const uint8_t *src, size_t len, sink *s)
{
    if (!ctx->zstd_d && !(ctx->zstd_d = ZSTD_createDCtx())) {
        return EDDY_ERR_NOMEM;
    }
    ZSTD_DCtx *d = ctx->zstd_d;
    ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
    ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, zstd_window_log(s->max));

    /* One frame with a declared size: decode in one go into exact room. */
    unsigned long long csize = ZSTD_getFrameContentSize(src, len);
    if (csize != ZSTD_CONTENTSIZE_UNKNOWN && csize != ZSTD_CONTENTSIZE_ERROR &&
        ZSTD_findFrameCompressedSize(src, len) == len) {
        if (csize > sink_left(s)) {
            return EDDY_ERR_LIMIT;
        }
        int rc = sink_reserve(s, (size_t)csize);
        if (rc) {
            return rc;
        }
        size_t r = ZSTD_decompressDCtx(d, sink_at(s, (size_t)csize), (size_t)csize, src, len);
        if (ZSTD_isError(r)) {
            return zstd_error(r);
        }
        if (r != csize) {
            return EDDY_ERR_CORRUPT;
        }
        s->out->len += r;
        return 0;
    }

    /* Otherwise stream: frames without a size, or several frames. */
    ZSTD_inBuffer in = {src, len, 0};
    int stalls = 0;
    for (;;) {
        uint8_t *dst;
        size_t room;
        int rc = sink_room(s, ZSTD_DStreamOutSize(), &dst, &room);
        if (rc) {
            return rc;
        }
        ZSTD_outBuffer ob = {dst, room, 0};
        size_t before = in.pos;
        size_t r = ZSTD_decompressStream(d, &ob, &in);
        if (ZSTD_isError(r)) {
            return zstd_error(r);
        }
        rc = sink_commit(s, dst, ob.pos);
        if (rc) {
            return rc;
        }
        if (r == 0 && in.pos == in.size) {
            return 0; /* the last frame is complete and flushed */
        }
        if (in.pos == in.size && ob.pos < ob.size) {
            return EDDY_ERR_CORRUPT; /* truncated */
        }
        stalls = ob.pos == 0 && in.pos == before ? stalls + 1 : 0;
        if (stalls > 2) {
            return EDDY_ERR_CORRUPT;
        }
    }
}

static int zstd_compress(eddy_codec_ctx *ctx, const eddy_codec_opts *opts, const uint8_t *src,
                         size_t len, eddy_buf *out)
{
    if (!ctx->zstd_c && !(ctx->zstd_c = ZSTD_createCCtx())) {
        return EDDY_ERR_NOMEM;
    }
    size_t bound = ZSTD_compressBound(len);
    int rc = eddy_buf_reserve(out, bound);
    if (rc) {
        return rc;
    }
    int level = opts && opts->level ? opts->level : ZSTD_CLEVEL_DEFAULT;
    size_t n = ZSTD_compressCCtx(ctx->zstd_c, out->data + out->len, bound, src, len, level);
    if (ZSTD_isError(n)) {
        return zstd_error(n);
    }
    out->len += n;
    return 0;
}

/* ---- dispatch --------------------------------------------------------- */

int eddy_codec_decompress(eddy_codec_ctx *ctx, eddy_codec codec, const uint8_t *src, size_t len,
                          size_t max_out, eddy_buf *out)
{
    if (out->err) {
        return out->err;
    }
    eddy_codec_ctx tmp;
    if (!ctx) {
        eddy_codec_ctx_init(&tmp);
        ctx = &tmp;
    }
    static const uint8_t empty[1];
    if (!src) {
        src = empty;
        len = 0;
    }
    sink s;
    sink_init(&s, out, max_out);
    int rc;
    switch (codec) {
    case EDDY_CODEC_GZIP:
        rc = gzip_decompress(ctx, src, len, &s);
        break;
    case EDDY_CODEC_SNAPPY:
        rc = snappy_decompress(src, len, &s);
        break;
    case EDDY_CODEC_LZ4:
        rc = lz4_decompress(ctx, src, len, &s);
        break;
    case EDDY_CODEC_ZSTD:
        rc = zstd_decompress(ctx, src, len, &s);
        break;
    default:
        rc = EDDY_ERR_UNSUPPORTED;
        break;
    }
    if (rc) {
        out->len = s.start;
    }
    if (ctx == &tmp) {
        eddy_codec_ctx_deinit(&tmp);
    }
    return rc;
}

int eddy_codec_compress(eddy_codec_ctx *ctx, eddy_codec codec, const eddy_codec_opts *opts,
                        const uint8_t *src, size_t len, eddy_buf *out)
{
    if (out->err) {
        return out->err;
    }
    eddy_codec_ctx tmp;
    if (!ctx) {
        eddy_codec_ctx_init(&tmp);
        ctx = &tmp;
    }
    static const uint8_t empty[1];
    if (!src) {
        src = empty;
        len = 0;
    }
    size_t start = out->len;
    int rc;
    switch (codec) {
    case EDDY_CODEC_GZIP:
        rc = gzip_compress(opts, src, len, out);
        break;
    case EDDY_CODEC_SNAPPY:
        rc = opts && opts->snappy_xerial ? snappy_compress_xerial(src, len, out)
                                         : snappy_compress_raw(src, len, out);
        break;
    case EDDY_CODEC_LZ4:
        rc = lz4_compress(opts, src, len, out);
        break;
    case EDDY_CODEC_ZSTD:
        rc = zstd_compress(ctx, opts, src, len, out);
        break;
    default:
        rc = EDDY_ERR_UNSUPPORTED;
        break;
    }
    if (rc) {
        out->len = start;
    }
    if (ctx == &tmp) {
        eddy_codec_ctx_deinit(&tmp);
    }
    return rc;
}
