/* CRC-32C and CRC-32 against published test vectors, and the hardware path
 * against the table path on every length and alignment that matters to the
 * three-stream split. */
#include <stdint.h>

#include "core/crc.h"
#include "test.h"

TEST(crc32c_check_value)
{
    /* The standard check value: CRC of ASCII "123456789". */
    EXPECT_EQ_UINT(eddy_crc32c(0, "123456789", 9), 0xe3069283u);
    EXPECT_EQ_UINT(eddy_crc32c_sw(0, "123456789", 9), 0xe3069283u);
    EXPECT_EQ_UINT(eddy_crc32c(0, "", 0), 0);
}

TEST(crc32c_rfc3720_vectors)
{
    /* RFC 3720 (iSCSI) appendix B.4. */
    uint8_t buf[48];
    memset(buf, 0, 32);
    EXPECT_EQ_UINT(eddy_crc32c(0, buf, 32), 0x8a9136aau);
    memset(buf, 0xff, 32);
    EXPECT_EQ_UINT(eddy_crc32c(0, buf, 32), 0x62a8ab43u);
    for (int i = 0; i < 32; i++) {
        buf[i] = (uint8_t)i;
    }
    EXPECT_EQ_UINT(eddy_crc32c(0, buf, 32), 0x46dd794eu);
    for (int i = 0; i < 32; i++) {
        buf[i] = (uint8_t)(31 - i);
    }
    EXPECT_EQ_UINT(eddy_crc32c(0, buf, 32), 0x113fdb5cu);
    static const uint8_t iscsi_read[48] = {
        0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
        0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    };
    EXPECT_EQ_UINT(eddy_crc32c(0, iscsi_read, 48), 0xd9963a56u);
}

TEST(crc32c_hw_matches_table)
{
    /* Lengths around the 3x256 and 3x8192 block boundaries, odd offsets. */
    size_t cap = 3 * 8192 * 2 + 64;
    uint8_t *buf = malloc(cap);
    uint32_t x = 12345;
    for (size_t i = 0; i < cap; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    static const size_t lens[] = {0,    1,    7,    8,     9,     255,   767,   768,   769,
                                  1000, 4095, 8192, 24575, 24576, 24577, 30000, 49152, 49200};
    for (size_t off = 0; off < 8; off++) {
        for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
            size_t n = lens[k];
            if (off + n > cap) {
                continue;
            }
            uint32_t hw = eddy_crc32c(0, buf + off, n);
            uint32_t sw = eddy_crc32c_sw(0, buf + off, n);
            if (hw != sw) {
                free(buf);
                EXPECT_EQ_UINT(hw, sw);
            }
        }
    }
    /* Incremental = one shot. */
    uint32_t inc = eddy_crc32c(0, buf, 1000);
    inc = eddy_crc32c(inc, buf + 1000, 30000);
    uint32_t one = eddy_crc32c(0, buf, 31000);
    free(buf);
    EXPECT_EQ_UINT(inc, one);
}

TEST(crc32_ieee_vectors)
{
    EXPECT_EQ_UINT(eddy_crc32(0, "123456789", 9), 0xcbf43926u);
    EXPECT_EQ_UINT(eddy_crc32(0, "The quick brown fox jumps over the lazy dog", 43), 0x414fa339u);
    EXPECT_EQ_UINT(eddy_crc32(0, "", 0), 0);
    uint32_t inc = eddy_crc32(eddy_crc32(0, "12345", 5), "6789", 4);
    EXPECT_EQ_UINT(inc, 0xcbf43926u);
}

TEST(crc32c_combine_and_patch)
{
    enum { N = 70000 };
    static uint8_t buf[N];
    uint32_t x = 99;
    for (size_t i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    static const size_t splits[] = {0, 1, 7, 61, 4096, 33333, N - 1, N};
    uint32_t whole = eddy_crc32c(0, buf, N);
    for (size_t k = 0; k < sizeof splits / sizeof splits[0]; k++) {
        size_t s = splits[k];
        uint32_t c =
            eddy_crc32c_combine(eddy_crc32c(0, buf, s), eddy_crc32c(0, buf + s, N - s), N - s);
        EXPECT_EQ_UINT(c, whole);
    }
    /* Patch: change bytes in place and update the CRC without a rescan. */
    static const size_t ats[] = {0, 1, 22, 1000, N - 22};
    for (size_t k = 0; k < sizeof ats / sizeof ats[0]; k++) {
        uint8_t old_bytes[22];
        memcpy(old_bytes, buf + ats[k], sizeof old_bytes);
        uint32_t before = eddy_crc32c(0, buf, N);
        for (size_t i = 0; i < sizeof old_bytes; i++) {
            buf[ats[k] + i] ^= (uint8_t)(0x5a + i);
        }
        uint32_t patched =
            eddy_crc32c_patch(before, N, ats[k], old_bytes, buf + ats[k], sizeof old_bytes);
        EXPECT_EQ_UINT(patched, eddy_crc32c(0, buf, N));
    }
}

int main(void)
{
    RUN(crc32c_check_value);
    RUN(crc32c_rfc3720_vectors);
    RUN(crc32c_hw_matches_table);
    RUN(crc32_ieee_vectors);
    RUN(crc32c_combine_and_patch);
    return test_summary();
}
