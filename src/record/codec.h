/* Compression codecs of Kafka record batches: gzip, snappy, lz4, zstd.
 *
 * A compressed batch carries its whole record array as one compressed blob
 * (docs/format/record-batch.md). These functions turn such a blob into
 * records and back, appending to an eddy_buf. Decompression treats its input
 * as hostile: every codec is bounded by an output limit, so a tiny
 * "decompression bomb" fails with EDDY_ERR_LIMIT before it can allocate more
 * than the limit, and a corrupt or truncated stream fails with
 * EDDY_ERR_CORRUPT.
 *
 * Wire formats (docs/record.md has the details):
 *   gzip   RFC 1952 stream; several concatenated members are accepted.
 *   snappy raw snappy (librdkafka writes it) or xerial framing (the Java and
 *          kafka-python clients write it): "\x82SNAPPY\0", two int32 version
 *          fields, then [int32 BE length][raw snappy block] repeated. Both
 *          are read; raw is written unless opts->snappy_xerial.
 *   lz4    LZ4 frame format (several concatenated frames are accepted);
 *          written with independent 64 KiB blocks and the content size.
 *   zstd   zstd frames, with or without a content size (streamed then).
 *
 * The codec libraries' state (inflate window, zstd and lz4 contexts) lives in
 * an eddy_codec_ctx that a thread keeps and reuses, so the hot path does not
 * allocate it per batch. A context is not thread-safe: one per thread. */
#ifndef EDDY_RECORD_CODEC_H
#define EDDY_RECORD_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "record/batch.h"

struct z_stream_s;
struct ZSTD_DCtx_s;
struct ZSTD_CCtx_s;
struct LZ4F_dctx_s;

/* Reusable codec library state, created lazily on first use of each codec.
 * Zero-initialised (or eddy_codec_ctx_init) is the empty state. */
typedef struct eddy_codec_ctx {
    struct z_stream_s *inflater; /* owned; gzip decompression */
    struct ZSTD_DCtx_s *zstd_d;  /* owned */
    struct ZSTD_CCtx_s *zstd_c;  /* owned */
    struct LZ4F_dctx_s *lz4_d;   /* owned */
} eddy_codec_ctx;

/* Compression options. Zero-initialised means the defaults. */
typedef struct eddy_codec_opts {
    int level;          /* codec's own level scale; 0 = the codec's default */
    bool snappy_xerial; /* snappy: write xerial framing instead of raw */
} eddy_codec_opts;

void eddy_codec_ctx_init(eddy_codec_ctx *ctx);

/* Frees the library state; the context may be initialised again. */
void eddy_codec_ctx_deinit(eddy_codec_ctx *ctx);

/* Returns "none", "gzip", "snappy", "lz4", "zstd" or "unknown". */
const char *eddy_codec_name(int codec);

/* Decompresses src[0..len) (untrusted) of the given codec and appends the
 * result to out, producing at most max_out bytes (0 = no limit besides out's
 * own cap). On error out->len is back where it was, but out may have grown.
 * ctx may be NULL (a temporary context is used: slower).
 * Returns 0, EDDY_ERR_CORRUPT (corrupt, truncated or trailing garbage),
 * EDDY_ERR_LIMIT (more than max_out bytes, or out's cap),
 * EDDY_ERR_UNSUPPORTED (codec not 1..4) or EDDY_ERR_NOMEM. */
int eddy_codec_decompress(eddy_codec_ctx *ctx, eddy_codec codec, const uint8_t *src, size_t len,
                          size_t max_out, eddy_buf *out);

/* Compresses src[0..len) and appends the result to out. opts may be NULL.
 * Returns 0, EDDY_ERR_UNSUPPORTED (codec not 1..4), EDDY_ERR_LIMIT (out's
 * cap, or an input over 4 GiB for gzip) or EDDY_ERR_NOMEM. */
int eddy_codec_compress(eddy_codec_ctx *ctx, eddy_codec codec, const eddy_codec_opts *opts,
                        const uint8_t *src, size_t len, eddy_buf *out);

#endif
