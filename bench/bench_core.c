/* Core benchmark: CRC-32C and varint decoding against memcpy over the same
 * buffer, and CRC-32 (IEEE) against zlib's crc32. Throughput in GB/s of
 * input; the best of several timed rounds after a warm-up. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "bench.h"
#include "core/buf.h"
#include "core/crc.h"
#include "core/reader.h"

#define ROUND_SECONDS 0.2
#define ROUNDS        5

typedef uint64_t (*work_fn)(const uint8_t *src, uint8_t *dst, size_t n);

static uint64_t do_memcpy(const uint8_t *src, uint8_t *dst, size_t n)
{
    memcpy(dst, src, n);
    return dst[n / 2];
}

static uint64_t do_crc32c(const uint8_t *src, uint8_t *dst, size_t n)
{
    return eddy_crc32c(0, src, n);
}

static uint64_t do_crc32c_sw(const uint8_t *src, uint8_t *dst, size_t n)
{
    return eddy_crc32c_sw(0, src, n);
}

static uint64_t do_crc32(const uint8_t *src, uint8_t *dst, size_t n)
{
    return eddy_crc32(0, src, n);
}

static uint64_t do_zlib_crc32(const uint8_t *src, uint8_t *dst, size_t n)
{
    return crc32(0, src, (uInt)n);
}

/* Decodes zigzag varlongs until the buffer ends (the buffer holds only
 * varints, as record fields do). */
static uint64_t do_varint(const uint8_t *src, uint8_t *dst, size_t n)
{
    eddy_reader r;
    eddy_reader_init(&r, src, n);
    uint64_t sum = 0;
    while (eddy_reader_remaining(&r)) {
        sum += (uint64_t)eddy_reader_varlong(&r);
    }
    return sum;
}

/* Returns GB/s: the best round of ROUNDS. */
static double measure(work_fn fn, const uint8_t *src, uint8_t *dst, size_t n)
{
    double best = 0;
    for (int i = 0; i < 3; i++) {
        bench_sink(fn(src, dst, n)); /* warm-up */
    }
    for (int round = 0; round < ROUNDS; round++) {
        double t0 = bench_now(), t;
        uint64_t iters = 0;
        do {
            bench_sink(fn(src, dst, n));
            iters++;
            t = bench_now();
        } while (t - t0 < ROUND_SECONDS);
        double gbs = (double)iters * (double)n / (t - t0) / 1e9;
        if (gbs > best) {
            best = gbs;
        }
    }
    return best;
}

int main(void)
{
    static const size_t sizes[] = {4096, 65536, 1 << 20};
    size_t max = 1 << 20;
    uint8_t *src = malloc(max), *dst = malloc(max);
    uint32_t x = 1;
    for (size_t i = 0; i < max; i++) {
        x = x * 1103515245u + 12345u;
        src[i] = (uint8_t)(x >> 16);
    }
    memset(dst, 0, max);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        char name[96];
        double mc = measure(do_memcpy, src, dst, n);
        snprintf(name, sizeof name, "CRC-32C (%s), %zu KiB buffer",
                 eddy_crc32c_hw_available() ? "SSE4.2 x3" : "table", n / 1024);
        bench_row(name, measure(do_crc32c, src, dst, n), "memcpy", mc, "GB/s");
        snprintf(name, sizeof name, "CRC-32C table fallback, %zu KiB buffer", n / 1024);
        bench_row(name, measure(do_crc32c_sw, src, dst, n), "memcpy", mc, "GB/s");
        snprintf(name, sizeof name, "CRC-32 IEEE, %zu KiB buffer", n / 1024);
        bench_row(name, measure(do_crc32, src, dst, n), "zlib crc32",
                  measure(do_zlib_crc32, src, dst, n), "GB/s");
    }
    /* Varints shaped like record fields: mostly 1-2 bytes, some long. */
    eddy_buf b;
    eddy_buf_init(&b, 0);
    while (b.len < max - 16) {
        x = x * 1103515245u + 12345u;
        int64_t v = (x >> 8) % 100 < 70   ? (int64_t)(x % 64) - 32
                    : (x >> 8) % 100 < 95 ? (int64_t)(x % 8192) - 4096
                                          : (int64_t)x * 977;
        eddy_buf_put_varlong(&b, v);
    }
    double mc = measure(do_memcpy, b.data, dst, b.len);
    bench_row("varint decode (zigzag varlong, record-like mix), 1 MiB",
              measure(do_varint, b.data, dst, b.len), "memcpy", mc, "GB/s");
    eddy_buf_deinit(&b);
    free(src);
    free(dst);
    return 0;
}
