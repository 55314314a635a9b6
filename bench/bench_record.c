/* Record benchmark: eddy_batch_validate, the produce hot path, on 256 KiB
 * batches of 100-byte and 1 KiB JSON-like records, uncompressed and with
 * lz4 and zstd. Throughput counts the uncompressed record bytes (and
 * records) per second. The peer is the least any validator must do with the
 * same batch: memcpy of it when uncompressed (validation reads every byte
 * once more, for the CRC), or the codec library alone decompressing the
 * payload into a ready buffer (LZ4F_decompress, ZSTD_decompressDCtx) when
 * compressed. Best of several timed rounds after a warm-up. */
#include <lz4frame.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "bench.h"
#include "record/builder.h"
#include "record/validate.h"

#define ROUND_SECONDS 0.2
#define ROUNDS        5
#define BATCH_BYTES   (256 * 1024)

typedef struct job {
    const uint8_t *batch; /* the whole batch */
    size_t len;
    size_t raw; /* uncompressed record bytes */
    int32_t records;
    eddy_codec codec;
    uint8_t *dst; /* room for the peer's output */
    eddy_record_scratch scratch;
    LZ4F_dctx *lz4;
    ZSTD_DCtx *zstd;
} job;

typedef uint64_t (*work_fn)(job *j);

static uint64_t do_validate(job *j)
{
    eddy_batch_limits lim = EDDY_BATCH_LIMITS_DEFAULT;
    lim.max_batch_bytes = 0;
    eddy_batch_info info;
    if (eddy_batch_validate_with(j->batch, j->len, &lim, &info, &j->scratch) != 0) {
        fprintf(stderr, "validation failed\n");
        exit(1);
    }
    return (uint64_t)info.max_timestamp;
}

static uint64_t do_memcpy(job *j)
{
    memcpy(j->dst, j->batch, j->len);
    return j->dst[j->len / 2];
}

static uint64_t do_lz4(job *j)
{
    const uint8_t *src = j->batch + EDDY_BATCH_HEADER_SIZE;
    size_t sn = j->len - EDDY_BATCH_HEADER_SIZE, dn = j->raw;
    LZ4F_resetDecompressionContext(j->lz4);
    size_t r = LZ4F_decompress(j->lz4, j->dst, &dn, src, &sn, NULL);
    if (r != 0 || dn != j->raw) {
        fprintf(stderr, "lz4 peer failed\n");
        exit(1);
    }
    return j->dst[dn / 2];
}

static uint64_t do_zstd(job *j)
{
    size_t r = ZSTD_decompressDCtx(j->zstd, j->dst, j->raw, j->batch + EDDY_BATCH_HEADER_SIZE,
                                   j->len - EDDY_BATCH_HEADER_SIZE);
    if (r != j->raw) {
        fprintf(stderr, "zstd peer failed\n");
        exit(1);
    }
    return j->dst[r / 2];
}

/* Returns calls per second: the best round of ROUNDS. */
static double measure(work_fn fn, job *j)
{
    double best = 0;
    for (int i = 0; i < 3; i++) {
        bench_sink(fn(j)); /* warm-up */
    }
    for (int round = 0; round < ROUNDS; round++) {
        double t0 = bench_now(), t;
        uint64_t iters = 0;
        do {
            bench_sink(fn(j));
            iters++;
            t = bench_now();
        } while (t - t0 < ROUND_SECONDS);
        double rate = (double)iters / (t - t0);
        best = rate > best ? rate : best;
    }
    return best;
}

/* A batch of ~BATCH_BYTES of records whose values are value_size bytes of
 * sensor-like JSON (compressible as real telemetry is, not trivially). */
static void build(eddy_buf *out, eddy_codec codec, size_t value_size, int32_t *records, size_t *raw)
{
    eddy_batch_builder bb;
    eddy_batch_builder_init(&bb, codec, 1700000000000);
    char *v = malloc(value_size + 1);
    uint32_t x = 12345;
    int32_t n = 0;
    while (bb.records.len + value_size + 32 < BATCH_BYTES) {
        x = x * 1103515245u + 12345u;
        int len = snprintf(v, value_size + 1,
                           "{\"deviceId\":\"dev-%04u\",\"temperature\":%u.%u,\"humidity\":%u,"
                           "\"seq\":%d,\"payload\":\"",
                           (x >> 8) % 5000, (x >> 4) % 40, x % 10, (x >> 12) % 100, n);
        for (size_t i = (size_t)len; i < value_size; i++) {
            x = x * 1103515245u + 12345u;
            v[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[(x >> 16) % (i % 3 ? 4 : 36)];
        }
        v[value_size - 2] = '"';
        v[value_size - 1] = '}';
        char key[16];
        int klen = snprintf(key, sizeof key, "dev-%04u", (x >> 8) % 5000);
        eddy_batch_builder_add(&bb, 1700000000000 + n, key, klen, v, (int32_t)value_size, NULL, 0);
        n++;
    }
    *records = n;
    *raw = bb.records.len;
    eddy_buf_reset(out);
    if (eddy_batch_builder_finish(&bb, out) != 0) {
        fprintf(stderr, "building the batch failed\n");
        exit(1);
    }
    eddy_batch_builder_deinit(&bb);
    free(v);
}

int main(void)
{
    static const size_t value_sizes[] = {100, 1024};
    static const eddy_codec codecs[] = {EDDY_CODEC_NONE, EDDY_CODEC_LZ4, EDDY_CODEC_ZSTD};
    eddy_buf batch;
    eddy_buf_init(&batch, 0);
    for (size_t v = 0; v < sizeof value_sizes / sizeof value_sizes[0]; v++) {
        for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
            job j;
            memset(&j, 0, sizeof j);
            build(&batch, codecs[c], value_sizes[v], &j.records, &j.raw);
            j.batch = batch.data;
            j.len = batch.len;
            j.codec = codecs[c];
            j.dst = malloc(j.raw > j.len ? j.raw : j.len);
            eddy_record_scratch_init(&j.scratch);
            LZ4F_createDecompressionContext(&j.lz4, LZ4F_VERSION);
            j.zstd = ZSTD_createDCtx();

            work_fn peer = codecs[c] == EDDY_CODEC_LZ4    ? do_lz4
                           : codecs[c] == EDDY_CODEC_ZSTD ? do_zstd
                                                          : do_memcpy;
            const char *peer_name = codecs[c] == EDDY_CODEC_LZ4    ? "LZ4F_decompress alone"
                                    : codecs[c] == EDDY_CODEC_ZSTD ? "ZSTD_decompressDCtx alone"
                                                                   : "memcpy of the batch";
            double eddy_rate = measure(do_validate, &j);
            double peer_rate = measure(peer, &j);
            char name[160];
            snprintf(name, sizeof name, "validate %s, %zu B records (%d per batch, ratio %.1fx)",
                     eddy_codec_name(codecs[c]), value_sizes[v], j.records,
                     (double)j.raw / (double)j.len);
            bench_row(name, eddy_rate * (double)j.raw / 1e9, peer_name,
                      peer_rate * (double)j.raw / 1e9, "GB/s");
            snprintf(name, sizeof name, "validate %s, %zu B records", eddy_codec_name(codecs[c]),
                     value_sizes[v]);
            bench_row(name, eddy_rate * j.records / 1e6, peer_name, peer_rate * j.records / 1e6,
                      "M records/s");

            eddy_record_scratch_deinit(&j.scratch);
            LZ4F_freeDecompressionContext(j.lz4);
            ZSTD_freeDCtx(j.zstd);
            free(j.dst);
        }
    }
    eddy_buf_deinit(&batch);
    return 0;
}
