/* Byte buffers, the bounded reader and varints. */
#include <stdint.h>

#include "core/buf.h"
#include "core/reader.h"
#include "test.h"

TEST(buf_grows_and_writes_big_endian)
{
    eddy_buf b;
    eddy_buf_init(&b, 0);
    eddy_buf_put_u8(&b, 0xab);
    eddy_buf_put_be16(&b, 0x0102);
    eddy_buf_put_be32(&b, 0x03040506);
    eddy_buf_put_be64(&b, 0x0708090a0b0c0d0eull);
    EXPECT_EQ_INT(b.err, 0);
    static const uint8_t want[] = {0xab, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    EXPECT_EQ_MEM(b.data, b.len, want, sizeof want);
    for (int i = 0; i < 10000; i++) {
        eddy_buf_put_be32(&b, (uint32_t)i);
    }
    EXPECT_EQ_INT(b.len, sizeof want + 40000);
    EXPECT_EQ_UINT(eddy_load_be32(b.data + sizeof want + 4 * 9999), 9999);
    eddy_buf_deinit(&b);
}

TEST(buf_cap_is_sticky)
{
    eddy_buf b;
    eddy_buf_init(&b, 10);
    EXPECT_EQ_INT(eddy_buf_append(&b, "12345678", 8), 0);
    EXPECT_EQ_INT(eddy_buf_append(&b, "abc", 3), EDDY_ERR_LIMIT);
    /* Once failed, even a write that would fit is refused. */
    EXPECT_EQ_INT(eddy_buf_put_u8(&b, 1), EDDY_ERR_LIMIT);
    EXPECT_EQ_INT(b.len, 8);
    eddy_buf_reset(&b);
    EXPECT_EQ_INT(b.err, 0);
    EXPECT_EQ_INT(eddy_buf_append(&b, "0123456789", 10), 0);
    EXPECT_TRUE(eddy_buf_extend(&b, 1) == NULL);
    size_t n;
    uint8_t *d = eddy_buf_take(&b, &n);
    EXPECT_EQ_INT(n, 10);
    EXPECT_EQ_MEM(d, n, "0123456789", 10);
    free(d);
    eddy_buf_deinit(&b);
}

TEST(varint_round_trip)
{
    static const int64_t values[] = {
        0,    1,     -1,    63,        -64,       64,        -65,          127,       128,      300,
        -300, 16383, 16384, INT32_MAX, INT32_MIN, 1LL << 40, -(1LL << 40), INT64_MAX, INT64_MIN};
    eddy_buf b;
    eddy_buf_init(&b, 0);
    size_t n = sizeof values / sizeof values[0];
    for (size_t i = 0; i < n; i++) {
        eddy_buf_put_varlong(&b, values[i]);
        if (values[i] >= INT32_MIN && values[i] <= INT32_MAX) {
            eddy_buf_put_varint(&b, (int32_t)values[i]);
        }
        eddy_buf_put_uvarint(&b, (uint64_t)values[i] & 0xffffffffu);
    }
    eddy_reader r;
    eddy_reader_init(&r, b.data, b.len);
    for (size_t i = 0; i < n; i++) {
        EXPECT_EQ_INT(eddy_reader_varlong(&r), values[i]);
        if (values[i] >= INT32_MIN && values[i] <= INT32_MAX) {
            EXPECT_EQ_INT(eddy_reader_varint(&r), values[i]);
        }
        EXPECT_EQ_UINT(eddy_reader_uvarint(&r), (uint64_t)values[i] & 0xffffffffu);
    }
    EXPECT_EQ_INT(r.err, 0);
    EXPECT_EQ_INT(eddy_reader_remaining(&r), 0);
    eddy_buf_deinit(&b);
}

TEST(varint_known_encodings)
{
    /* Zigzag: 0->0, -1->1, 1->2, -2->3; 300 as uvarint = ac 02. */
    uint8_t out[10];
    EXPECT_EQ_INT(eddy_uvarint_encode(out, 300), 2);
    EXPECT_EQ_UINT(out[0], 0xac);
    EXPECT_EQ_UINT(out[1], 0x02);
    EXPECT_EQ_UINT(eddy_zigzag32(-1), 1);
    EXPECT_EQ_UINT(eddy_zigzag32(1), 2);
    EXPECT_EQ_UINT(eddy_zigzag32(-2), 3);
    EXPECT_EQ_UINT(eddy_zigzag64(INT64_MIN), UINT64_MAX);
    EXPECT_EQ_INT(eddy_unzigzag32(UINT32_MAX), INT32_MIN);
    EXPECT_EQ_INT(eddy_uvarint_size(127), 1);
    EXPECT_EQ_INT(eddy_uvarint_size(128), 2);
    EXPECT_EQ_INT(eddy_uvarint_size(UINT64_MAX), 10);
}

TEST(varint_rejects_overlong_and_truncated)
{
    eddy_reader r;
    /* Six bytes for a 32-bit varint. */
    static const uint8_t six[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    eddy_reader_init(&r, six, sizeof six);
    (void)eddy_reader_uvarint(&r);
    EXPECT_EQ_INT(r.err, EDDY_ERR_PARSE);
    /* Fifth byte with bits beyond 32. */
    static const uint8_t wide[] = {0xff, 0xff, 0xff, 0xff, 0x1f};
    eddy_reader_init(&r, wide, sizeof wide);
    (void)eddy_reader_uvarint(&r);
    EXPECT_EQ_INT(r.err, EDDY_ERR_PARSE);
    static const uint8_t max32[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
    eddy_reader_init(&r, max32, sizeof max32);
    EXPECT_EQ_UINT(eddy_reader_uvarint(&r), UINT32_MAX);
    EXPECT_EQ_INT(r.err, 0);
    /* Truncated: continuation bit on the last byte. */
    static const uint8_t cut[] = {0x80, 0x80};
    eddy_reader_init(&r, cut, sizeof cut);
    (void)eddy_reader_varlong(&r);
    EXPECT_EQ_INT(r.err, EDDY_ERR_PARSE);
    /* Eleven bytes for a 64-bit varlong. */
    static const uint8_t eleven[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                     0x80, 0x80, 0x80, 0x80, 0x01};
    eddy_reader_init(&r, eleven, sizeof eleven);
    (void)eddy_reader_varlong(&r);
    EXPECT_EQ_INT(r.err, EDDY_ERR_PARSE);
}

TEST(reader_is_bounded_and_sticky)
{
    static const uint8_t data[] = {0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0xff};
    eddy_reader r;
    eddy_reader_init(&r, data, sizeof data);
    EXPECT_EQ_INT(eddy_reader_i16(&r), 1);
    EXPECT_EQ_INT(eddy_reader_i32(&r), 2);
    EXPECT_EQ_INT(eddy_reader_i8(&r), -1);
    EXPECT_EQ_INT(r.err, 0);
    EXPECT_EQ_INT(eddy_reader_u8(&r), 0); /* past the end */
    EXPECT_EQ_INT(r.err, EDDY_ERR_PARSE);
    /* Sticky: a fresh read that would fit in the original buffer still fails. */
    eddy_reader_init(&r, data, sizeof data);
    EXPECT_EQ_INT(eddy_reader_i64(&r), 0);
    EXPECT_EQ_INT(r.err, EDDY_ERR_PARSE);
    EXPECT_EQ_INT(eddy_reader_u8(&r), 0);
    EXPECT_TRUE(eddy_reader_bytes(&r, 0) == NULL || r.err);
    /* A huge length never wraps around. */
    eddy_reader_init(&r, data, sizeof data);
    eddy_reader_skip(&r, 3);
    EXPECT_TRUE(eddy_reader_bytes(&r, SIZE_MAX) == NULL);
    EXPECT_EQ_INT(r.err, EDDY_ERR_PARSE);
}

TEST(reader_sub)
{
    static const uint8_t data[] = {1, 2, 3, 4, 5};
    eddy_reader r;
    eddy_reader_init(&r, data, sizeof data);
    eddy_reader sub = eddy_reader_sub(&r, 3);
    EXPECT_EQ_INT(eddy_reader_u8(&sub), 1);
    EXPECT_EQ_INT(eddy_reader_u16(&sub), 0x0203);
    EXPECT_EQ_INT(eddy_reader_u8(&sub), 0);
    EXPECT_EQ_INT(sub.err, EDDY_ERR_PARSE);
    EXPECT_EQ_INT(r.err, 0);
    EXPECT_EQ_INT(eddy_reader_u8(&r), 4);
    sub = eddy_reader_sub(&r, 2);
    EXPECT_EQ_INT(sub.err, EDDY_ERR_PARSE);
    EXPECT_EQ_INT(r.err, EDDY_ERR_PARSE);
    /* An empty/NULL reader. */
    eddy_reader_init(&r, NULL, 0);
    EXPECT_EQ_INT(eddy_reader_remaining(&r), 0);
    EXPECT_EQ_INT(eddy_reader_i32(&r), 0);
    EXPECT_EQ_INT(r.err, EDDY_ERR_PARSE);
}

int main(void)
{
    RUN(buf_grows_and_writes_big_endian);
    RUN(buf_cap_is_sticky);
    RUN(varint_round_trip);
    RUN(varint_known_encodings);
    RUN(varint_rejects_overlong_and_truncated);
    RUN(reader_is_bounded_and_sticky);
    RUN(reader_sub);
    return test_summary();
}
