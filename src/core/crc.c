/* CRC-32C and CRC-32 (see crc.h).
 *
 * The hardware path runs three independent crc32q chains over three adjacent
 * blocks, which hides the instruction's 3-cycle latency, then joins them:
 * crc(A || B) = shift_|B|(crc(A)) ^ crc0(B), where shift_n is the linear map
 * "feed n zero bytes" on the CRC register, applied with four 256-entry tables
 * built once at start-up. */
#include "core/crc.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#define POLY_CRC32C 0x82f63b78u
#define POLY_CRC32  0xedb88320u

#define LONG_BLOCK  8192
#define SHORT_BLOCK 256

static uint32_t tab32c[8][256];
static uint32_t tab32[8][256];
static uint32_t x2n_table[32]; /* x^(2^k) mod P (reflected), for combine */
static uint32_t shift_long[4][256];
static uint32_t shift_short[4][256];
static bool have_hw;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void make_slicing(uint32_t t[8][256], uint32_t poly)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = c & 1 ? (c >> 1) ^ poly : c >> 1;
        }
        t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++) {
        for (int k = 1; k < 8; k++) {
            t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
        }
    }
}

/* Raw register update (no inversion) with slicing-by-8. */
static uint32_t slice8(uint32_t t[8][256], uint32_t crc, const uint8_t *p, size_t n)
{
    while (n && ((uintptr_t)p & 7)) {
        crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
        n--;
    }
    while (n >= 8) {
        uint32_t lo, hi;
        memcpy(&lo, p, 4);
        memcpy(&hi, p + 4, 4);
        lo ^= crc;
        crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
              t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n--) {
        crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
    }
    return crc;
}

/* shift[k][b] = register after feeding n zero bytes to the register b << 8k. */
static void make_shift(uint32_t shift[4][256], size_t n)
{
    static const uint8_t zeros[LONG_BLOCK];
    uint32_t basis[32];
    for (int bit = 0; bit < 32; bit++) {
        basis[bit] = slice8(tab32c, 1u << bit, zeros, n);
    }
    for (int k = 0; k < 4; k++) {
        for (uint32_t b = 0; b < 256; b++) {
            uint32_t v = 0;
            for (int bit = 0; bit < 8; bit++) {
                if (b & (1u << bit)) {
                    v ^= basis[8 * k + bit];
                }
            }
            shift[k][b] = v;
        }
    }
}

static inline uint32_t apply_shift(uint32_t shift[4][256], uint32_t crc)
{
    return shift[0][crc & 0xff] ^ shift[1][(crc >> 8) & 0xff] ^ shift[2][(crc >> 16) & 0xff] ^
           shift[3][crc >> 24];
}

/* a * b mod P, polynomials in reflected bit order (zlib's multmodp). */
static uint32_t multmodp(uint32_t a, uint32_t b)
{
    uint32_t m = 1u << 31, p = 0;
    for (;;) {
        if (a & m) {
            p ^= b;
            if ((a & (m - 1)) == 0) {
                break;
            }
        }
        m >>= 1;
        b = b & 1 ? (b >> 1) ^ POLY_CRC32C : b >> 1;
    }
    return p;
}

/* x^(n * 2^k) mod P. */
static uint32_t x2nmodp(size_t n, unsigned k)
{
    uint32_t p = 1u << 31; /* x^0 */
    while (n) {
        if (n & 1) {
            p = multmodp(x2n_table[k & 31], p);
        }
        n >>= 1;
        k++;
    }
    return p;
}

static void init_tables(void)
{
    uint32_t p = 1u << 30; /* x^1 */
    for (int k = 0; k < 32; k++) {
        x2n_table[k] = p;
        p = multmodp(p, p);
    }
    make_slicing(tab32c, POLY_CRC32C);
    make_slicing(tab32, POLY_CRC32);
    make_shift(shift_long, LONG_BLOCK);
    make_shift(shift_short, SHORT_BLOCK);
#if defined(__x86_64__)
    __builtin_cpu_init();
    have_hw = __builtin_cpu_supports("sse4.2");
#endif
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t crc32c_hw(uint32_t crc, const uint8_t *p,
                                                            size_t n)
{
    uint64_t c0 = crc;
    while (n && ((uintptr_t)p & 7)) {
        c0 = _mm_crc32_u8((uint32_t)c0, *p++);
        n--;
    }
    while (n >= 3 * LONG_BLOCK) {
        uint64_t c1 = 0, c2 = 0;
        const uint8_t *end = p + LONG_BLOCK;
        do {
            uint64_t a, b, c;
            memcpy(&a, p, 8);
            memcpy(&b, p + LONG_BLOCK, 8);
            memcpy(&c, p + 2 * LONG_BLOCK, 8);
            c0 = _mm_crc32_u64(c0, a);
            c1 = _mm_crc32_u64(c1, b);
            c2 = _mm_crc32_u64(c2, c);
            p += 8;
        } while (p < end);
        c0 = apply_shift(shift_long, (uint32_t)c0) ^ (uint32_t)c1;
        c0 = apply_shift(shift_long, (uint32_t)c0) ^ (uint32_t)c2;
        p += 2 * LONG_BLOCK;
        n -= 3 * LONG_BLOCK;
    }
    while (n >= 3 * SHORT_BLOCK) {
        uint64_t c1 = 0, c2 = 0;
        const uint8_t *end = p + SHORT_BLOCK;
        do {
            uint64_t a, b, c;
            memcpy(&a, p, 8);
            memcpy(&b, p + SHORT_BLOCK, 8);
            memcpy(&c, p + 2 * SHORT_BLOCK, 8);
            c0 = _mm_crc32_u64(c0, a);
            c1 = _mm_crc32_u64(c1, b);
            c2 = _mm_crc32_u64(c2, c);
            p += 8;
        } while (p < end);
        c0 = apply_shift(shift_short, (uint32_t)c0) ^ (uint32_t)c1;
        c0 = apply_shift(shift_short, (uint32_t)c0) ^ (uint32_t)c2;
        p += 2 * SHORT_BLOCK;
        n -= 3 * SHORT_BLOCK;
    }
    while (n >= 8) {
        uint64_t a;
        memcpy(&a, p, 8);
        c0 = _mm_crc32_u64(c0, a);
        p += 8;
        n -= 8;
    }
    while (n--) {
        c0 = _mm_crc32_u8((uint32_t)c0, *p++);
    }
    return (uint32_t)c0;
}
#endif

uint32_t eddy_crc32c_sw(uint32_t crc, const void *p, size_t n)
{
    pthread_once(&once, init_tables);
    return ~slice8(tab32c, ~crc, p, n);
}

uint32_t eddy_crc32c(uint32_t crc, const void *p, size_t n)
{
    pthread_once(&once, init_tables);
#if defined(__x86_64__)
    if (have_hw) {
        return ~crc32c_hw(~crc, p, n);
    }
#endif
    return ~slice8(tab32c, ~crc, p, n);
}

bool eddy_crc32c_hw_available(void)
{
    pthread_once(&once, init_tables);
    return have_hw;
}

uint32_t eddy_crc32(uint32_t crc, const void *p, size_t n)
{
    pthread_once(&once, init_tables);
    return ~slice8(tab32, ~crc, p, n);
}

uint32_t eddy_crc32c_combine(uint32_t crc1, uint32_t crc2, size_t len2)
{
    pthread_once(&once, init_tables);
    return multmodp(x2nmodp(len2, 3), crc1) ^ crc2;
}

uint32_t eddy_crc32c_patch(uint32_t crc, size_t total, size_t at, const void *old_bytes,
                           const void *new_bytes, size_t n)
{
    pthread_once(&once, init_tables);
    /* CRC is affine: for equal lengths crc(M) ^ crc(M') is the pure CRC (zero
     * start, no final inversion) of M ^ M', whose only non-zero bytes are
     * the changed ones, followed by total - at - n zero bytes. */
    const uint8_t *a = old_bytes, *b = new_bytes;
    uint32_t r = 0;
    for (size_t i = 0; i < n; i++) {
        r = (r >> 8) ^ tab32c[0][(r ^ (uint8_t)(a[i] ^ b[i])) & 0xff];
    }
    size_t after = total - at - n;
    return crc ^ multmodp(x2nmodp(after, 3), r);
}
