/* Compression codecs: round trips at awkward sizes, the streams eddy does
 * not write itself but must read (multi-member gzip, lz4 frames without a
 * content size and with linked blocks, zstd frames without a content size
 * and several frames, xerial snappy), output limits at the exact boundary,
 * and truncated or trailing-garbage input. */
#include <lz4frame.h>
#include <stdint.h>
#include <zlib.h>
#include <zstd.h>

#include "core/buf.h"
#include "core/error.h"
#include "record/codec.h"
#include "test.h"

static const eddy_codec codecs[] = {EDDY_CODEC_GZIP, EDDY_CODEC_SNAPPY, EDDY_CODEC_LZ4,
                                    EDDY_CODEC_ZSTD};

/* Deterministic data: half text-like (compressible), half noise. */
static uint8_t *make_data(size_t n, uint32_t seed)
{
    uint8_t *p = malloc(n ? n : 1);
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (i / 4096) % 2 ? (uint8_t)x : (uint8_t)("temperature=21.5;"[i % 17]);
    }
    return p;
}

/* Compresses and decompresses n bytes; returns the compressed size. */
static size_t round_trip(eddy_codec_ctx *ctx, eddy_codec codec, const eddy_codec_opts *opts,
                         size_t n, int *failed)
{
    uint8_t *src = make_data(n, (uint32_t)n);
    eddy_buf c, d;
    eddy_buf_init(&c, 0);
    eddy_buf_init(&d, 0);
    eddy_buf_append(&d, "prefix", 6); /* decompress appends */
    size_t csize = 0;
    *failed = 1;
    if (eddy_codec_compress(ctx, codec, opts, src, n, &c) == 0 &&
        eddy_codec_decompress(ctx, codec, c.data, c.len, n, &d) == 0 && d.len == n + 6 &&
        memcmp(d.data, "prefix", 6) == 0 && (n == 0 || memcmp(d.data + 6, src, n) == 0)) {
        *failed = 0;
        csize = c.len;
    }
    eddy_buf_deinit(&c);
    eddy_buf_deinit(&d);
    free(src);
    return csize;
}

TEST(round_trips_every_codec_and_size)
{
    static const size_t sizes[] = {0, 1, 17, 4095, 4096, 32768, 32769, 65536, 65537, 300000};
    eddy_codec_ctx ctx;
    eddy_codec_ctx_init(&ctx);
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        for (int xerial = 0; xerial < 2; xerial++) {
            eddy_codec_opts opts = {.snappy_xerial = xerial};
            for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
                int failed;
                /* With the reused context, and with none. */
                round_trip(&ctx, codecs[c], &opts, sizes[s], &failed);
                if (!failed) {
                    round_trip(NULL, codecs[c], xerial ? &opts : NULL, sizes[s], &failed);
                }
                if (failed) {
                    TEST_FAIL_AT("%s xerial=%d size %zu", eddy_codec_name(codecs[c]), xerial,
                                 sizes[s]);
                    eddy_codec_ctx_deinit(&ctx);
                    return;
                }
            }
        }
    }
    eddy_codec_ctx_deinit(&ctx);
}

TEST(levels_and_names)
{
    eddy_codec_opts opts = {.level = 1};
    int failed;
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        round_trip(NULL, codecs[c], &opts, 100000, &failed);
        EXPECT_EQ_INT(failed, 0);
    }
    EXPECT_EQ_STR(eddy_codec_name(EDDY_CODEC_SNAPPY), "snappy");
    EXPECT_EQ_STR(eddy_codec_name(7), "unknown");
    eddy_buf b;
    eddy_buf_init(&b, 0);
    EXPECT_EQ_INT(eddy_codec_compress(NULL, EDDY_CODEC_NONE, NULL, (const uint8_t *)"x", 1, &b),
                  EDDY_ERR_UNSUPPORTED);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, (eddy_codec)6, (const uint8_t *)"x", 1, 0, &b),
                  EDDY_ERR_UNSUPPORTED);
    eddy_buf_deinit(&b);
}

TEST(output_limit_is_exact)
{
    const size_t n = 100000;
    uint8_t *src = make_data(n, 7);
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        eddy_buf z, d;
        eddy_buf_init(&z, 0);
        eddy_buf_init(&d, 0);
        EXPECT_EQ_INT(eddy_codec_compress(NULL, codecs[c], NULL, src, n, &z), 0);
        EXPECT_EQ_INT(eddy_codec_decompress(NULL, codecs[c], z.data, z.len, n, &d), 0);
        EXPECT_EQ_INT(d.len, n);
        eddy_buf_reset(&d);
        EXPECT_EQ_INT(eddy_codec_decompress(NULL, codecs[c], z.data, z.len, n - 1, &d),
                      EDDY_ERR_LIMIT);
        EXPECT_EQ_INT(d.len, 0);
        EXPECT_EQ_INT(d.err, 0);
        /* The buffer's own cap is a limit too. */
        eddy_buf capped;
        eddy_buf_init(&capped, n - 10);
        EXPECT_EQ_INT(eddy_codec_decompress(NULL, codecs[c], z.data, z.len, 0, &capped),
                      EDDY_ERR_LIMIT);
        EXPECT_TRUE(capped.cap <= n - 10);
        eddy_buf_deinit(&capped);
        eddy_buf_deinit(&z);
        eddy_buf_deinit(&d);
    }
    free(src);
}

TEST(truncated_and_trailing_garbage)
{
    const size_t n = 70000;
    uint8_t *src = make_data(n, 3);
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        for (int xerial = 0; xerial < 2; xerial++) {
            eddy_codec_opts opts = {.snappy_xerial = xerial};
            eddy_buf z, d;
            eddy_buf_init(&z, 0);
            eddy_buf_init(&d, 0);
            EXPECT_EQ_INT(eddy_codec_compress(NULL, codecs[c], &opts, src, n, &z), 0);
            /* Every cut of the last bytes, and a few in the middle. */
            for (size_t cut = 1; cut < 24 && cut < z.len; cut++) {
                eddy_buf_reset(&d);
                int rc = eddy_codec_decompress(NULL, codecs[c], z.data, z.len - cut, 0, &d);
                if (rc != EDDY_ERR_CORRUPT) {
                    TEST_FAIL_AT("%s xerial=%d cut %zu: %d", eddy_codec_name(codecs[c]), xerial,
                                 cut, rc);
                    return;
                }
            }
            eddy_buf_reset(&d);
            EXPECT_EQ_INT(eddy_codec_decompress(NULL, codecs[c], z.data, z.len / 2, 0, &d),
                          EDDY_ERR_CORRUPT);
            eddy_buf_reset(&d);
            EXPECT_EQ_INT(eddy_codec_decompress(NULL, codecs[c], z.data, 0, 0, &d),
                          EDDY_ERR_CORRUPT);
            /* Junk after a complete stream. */
            eddy_buf_append(&z, "\x01\x02\x03junk", 7);
            eddy_buf_reset(&d);
            EXPECT_EQ_INT(eddy_codec_decompress(NULL, codecs[c], z.data, z.len, 0, &d),
                          EDDY_ERR_CORRUPT);
            eddy_buf_deinit(&z);
            eddy_buf_deinit(&d);
        }
    }
    free(src);
}

TEST(gzip_multi_member)
{
    eddy_buf z, d;
    eddy_buf_init(&z, 0);
    eddy_buf_init(&d, 0);
    EXPECT_EQ_INT(
        eddy_codec_compress(NULL, EDDY_CODEC_GZIP, NULL, (const uint8_t *)"hello ", 6, &z), 0);
    EXPECT_EQ_INT(eddy_codec_compress(NULL, EDDY_CODEC_GZIP, NULL, (const uint8_t *)"world", 5, &z),
                  0);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_GZIP, z.data, z.len, 0, &d), 0);
    EXPECT_EQ_MEM(d.data, d.len, "hello world", 11);
    /* A zlib (RFC 1950) stream is not gzip. */
    uint8_t zl[64];
    uLongf zn = sizeof zl;
    EXPECT_EQ_INT(compress(zl, &zn, (const Bytef *)"hello", 5), Z_OK);
    eddy_buf_reset(&d);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_GZIP, zl, zn, 0, &d), EDDY_ERR_CORRUPT);
    eddy_buf_deinit(&z);
    eddy_buf_deinit(&d);
}

TEST(lz4_frames_eddy_does_not_write)
{
    const size_t n = 200000;
    uint8_t *src = make_data(n, 11);
    LZ4F_preferences_t prefs;
    memset(&prefs, 0, sizeof prefs);
    /* Linked 256 KiB blocks, content checksum, no content size. */
    prefs.frameInfo.blockSizeID = LZ4F_max256KB;
    prefs.frameInfo.blockMode = LZ4F_blockLinked;
    prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
    prefs.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled;
    size_t bound = LZ4F_compressFrameBound(n, &prefs);
    uint8_t *z = malloc(2 * bound);
    size_t zn = LZ4F_compressFrame(z, bound, src, n, &prefs);
    EXPECT_TRUE(!LZ4F_isError(zn));
    /* Two frames back to back. */
    size_t zn2 = LZ4F_compressFrame(z + zn, bound, src, 1000, &prefs);
    EXPECT_TRUE(!LZ4F_isError(zn2));
    eddy_buf d;
    eddy_buf_init(&d, 0);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_LZ4, z, zn, 0, &d), 0);
    EXPECT_EQ_MEM(d.data, d.len, src, n);
    eddy_buf_reset(&d);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_LZ4, z, zn + zn2, 0, &d), 0);
    EXPECT_EQ_INT(d.len, n + 1000);
    eddy_buf_reset(&d);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_LZ4, z, zn + zn2, n + 999, &d),
                  EDDY_ERR_LIMIT);
    /* A corrupted content checksum is caught. */
    z[zn - 2] ^= 1;
    eddy_buf_reset(&d);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_LZ4, z, zn, 0, &d), EDDY_ERR_CORRUPT);
    eddy_buf_deinit(&d);
    free(z);
    free(src);
}

TEST(zstd_frames_without_size_and_several)
{
    const size_t n = 300000;
    uint8_t *src = make_data(n, 5);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 0);
    size_t bound = ZSTD_compressBound(n);
    uint8_t *z = malloc(2 * bound);
    size_t zn = ZSTD_compress2(cc, z, bound, src, n);
    EXPECT_TRUE(!ZSTD_isError(zn));
    EXPECT_EQ_UINT(ZSTD_getFrameContentSize(z, zn), ZSTD_CONTENTSIZE_UNKNOWN);
    size_t zn2 = ZSTD_compress2(cc, z + zn, bound, src, 5000);
    EXPECT_TRUE(!ZSTD_isError(zn2));
    ZSTD_freeCCtx(cc);

    eddy_codec_ctx ctx;
    eddy_codec_ctx_init(&ctx);
    eddy_buf d;
    eddy_buf_init(&d, 0);
    EXPECT_EQ_INT(eddy_codec_decompress(&ctx, EDDY_CODEC_ZSTD, z, zn, 0, &d), 0);
    EXPECT_EQ_MEM(d.data, d.len, src, n);
    eddy_buf_reset(&d);
    EXPECT_EQ_INT(eddy_codec_decompress(&ctx, EDDY_CODEC_ZSTD, z, zn + zn2, 0, &d), 0);
    EXPECT_EQ_INT(d.len, n + 5000);
    /* Streamed, the limit holds too, and the context recovers after. */
    eddy_buf_reset(&d);
    EXPECT_EQ_INT(eddy_codec_decompress(&ctx, EDDY_CODEC_ZSTD, z, zn, n - 1, &d), EDDY_ERR_LIMIT);
    eddy_buf_reset(&d);
    EXPECT_EQ_INT(eddy_codec_decompress(&ctx, EDDY_CODEC_ZSTD, z, zn, n, &d), 0);
    eddy_buf_reset(&d);
    EXPECT_EQ_INT(eddy_codec_decompress(&ctx, EDDY_CODEC_ZSTD, z, zn - 3, 0, &d), EDDY_ERR_CORRUPT);
    eddy_buf_reset(&d);
    EXPECT_EQ_INT(eddy_codec_decompress(&ctx, EDDY_CODEC_ZSTD, z, zn, 0, &d), 0);
    eddy_buf_deinit(&d);
    eddy_codec_ctx_deinit(&ctx);
    free(z);
    free(src);
}

TEST(snappy_xerial_framing)
{
    /* Header only: an empty stream. */
    static const uint8_t empty[16] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0,
                                      0,    0,   0,   1,   0,   0,   0,   1};
    eddy_buf d;
    eddy_buf_init(&d, 0);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_SNAPPY, empty, 16, 0, &d), 0);
    EXPECT_EQ_INT(d.len, 0);
    /* A cut header, a block length past the end, a negative one. */
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_SNAPPY, empty, 12, 0, &d),
                  EDDY_ERR_CORRUPT);
    uint8_t bad[24];
    memcpy(bad, empty, 16);
    memcpy(bad + 16,
           "\x00\x00\x00\x09\x03\x08"
           "abc",
           8);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_SNAPPY, bad, 24, 0, &d), EDDY_ERR_CORRUPT);
    memcpy(bad + 16, "\xff\xff\xff\xff", 4);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_SNAPPY, bad, 24, 0, &d), EDDY_ERR_CORRUPT);
    /* Two blocks: "abc" then "de" (raw snappy literals). */
    uint8_t two[16 + 4 + 5 + 4 + 4];
    memcpy(two, empty, 16);
    memcpy(two + 16,
           "\x00\x00\x00\x05\x03\x08"
           "abc",
           9);
    memcpy(two + 25,
           "\x00\x00\x00\x04\x02\x04"
           "de",
           8);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_SNAPPY, two, sizeof two, 0, &d), 0);
    EXPECT_EQ_MEM(d.data, d.len, "abcde", 5);
    eddy_buf_reset(&d);
    EXPECT_EQ_INT(eddy_codec_decompress(NULL, EDDY_CODEC_SNAPPY, two, sizeof two, 4, &d),
                  EDDY_ERR_LIMIT);
    eddy_buf_deinit(&d);
}

int main(void)
{
    RUN(round_trips_every_codec_and_size);
    RUN(levels_and_names);
    RUN(output_limit_is_exact);
    RUN(truncated_and_trailing_garbage);
    RUN(gzip_multi_member);
    RUN(lz4_frames_eddy_does_not_write);
    RUN(zstd_frames_without_size_and_several);
    RUN(snappy_xerial_framing);
    return test_summary();
}
