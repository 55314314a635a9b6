/* avro: the EventData record: EnqueuedTimeUtc formatting (epoch, before
 * 1970, leap days, century years, the year 1 and 9999 bounds, the
 * per-thread cache) checked against gmtime_r over a sweep, parsing back,
 * the encoder's exact bytes, and the schema check. */
#include <time.h>

#include "avro/avro.h"
#include "avro/eventdata.h"
#include "core/error.h"
#include "test.h"

static const char *fmt(int64_t ms, char *buf)
{
    eddy_avro_format_time(ms, buf);
    buf[EDDY_AVRO_TIME_LEN] = '\0';
    return buf;
}

TEST(test_format_time_cases)
{
    char b[EDDY_AVRO_TIME_LEN + 1];
    EXPECT_EQ_STR(fmt(0, b), "1970-01-01T00:00:00.0000000Z");
    EXPECT_EQ_STR(fmt(1795550400123LL, b), "2026-11-24T20:00:00.1230000Z");
    EXPECT_EQ_STR(fmt(-1, b), "1969-12-31T23:59:59.9990000Z");
    EXPECT_EQ_STR(fmt(-1000, b), "1969-12-31T23:59:59.0000000Z");
    EXPECT_EQ_STR(fmt(-1001, b), "1969-12-31T23:59:58.9990000Z");
    EXPECT_EQ_STR(fmt(951782400000LL, b), "2000-02-29T00:00:00.0000000Z");
    EXPECT_EQ_STR(fmt(1709164800000LL + 86399999, b), "2024-02-29T23:59:59.9990000Z");
    EXPECT_EQ_STR(fmt(4107542400000LL - 1, b), "2100-02-28T23:59:59.9990000Z");
    EXPECT_EQ_STR(fmt(-2203891200000LL, b), "1900-03-01T00:00:00.0000000Z");
    EXPECT_EQ_STR(fmt(-11670998400000LL, b), "1600-02-29T00:00:00.0000000Z");
    /* Bounds: .NET DateTime's range, clamped. */
    EXPECT_EQ_STR(fmt(253402300799999LL, b), "9999-12-31T23:59:59.9990000Z");
    EXPECT_EQ_STR(fmt(253402300800000LL, b), "9999-12-31T23:59:59.9990000Z");
    EXPECT_EQ_STR(fmt(INT64_MAX, b), "9999-12-31T23:59:59.9990000Z");
    EXPECT_EQ_STR(fmt(-62135596800000LL, b), "0001-01-01T00:00:00.0000000Z");
    EXPECT_EQ_STR(fmt(-62135596800001LL, b), "0001-01-01T00:00:00.0000000Z");
    EXPECT_EQ_STR(fmt(INT64_MIN, b), "0001-01-01T00:00:00.0000000Z");
    /* The cache: same second, other ms; back and forth. */
    EXPECT_EQ_STR(fmt(1795550400999LL, b), "2026-11-24T20:00:00.9990000Z");
    EXPECT_EQ_STR(fmt(1795550401000LL, b), "2026-11-24T20:00:01.0000000Z");
    EXPECT_EQ_STR(fmt(1795550400000LL, b), "2026-11-24T20:00:00.0000000Z");
}

/* Against gmtime_r, every few hours and ms over 1601..2399, and around
 * every year boundary in the range. */
TEST(test_format_time_sweep)
{
    char b[EDDY_AVRO_TIME_LEN + 1], want[64];
    int64_t start = -11644473600000LL; /* 1601-01-01 */
    int64_t end = 13569465600000LL;    /* 2400-01-01 */
    uint64_t x = 88172645463325252ULL;
    int n = 0;
    for (int64_t ms = start; ms < end; ms += 3 * 3600 * 1000 + 12345 + (int64_t)(x % 997)) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
        time_t t = (time_t)sec;
        struct tm tm;
        gmtime_r(&t, &tm);
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%03d0000Z", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 (int)(ms - sec * 1000));
        fmt(ms, b);
        if (strcmp(b, want) != 0) {
            TEST_FAIL_AT("ms %lld: %s != %s", (long long)ms, b, want);
            return;
        }
        int64_t back;
        EXPECT_EQ_INT(eddy_avro_parse_time((const uint8_t *)b, EDDY_AVRO_TIME_LEN, &back), 0);
        EXPECT_EQ_INT(back, ms);
        n++;
    }
    EXPECT_TRUE(n > 1000000);
}

TEST(test_parse_time)
{
    int64_t ms;
#define P(s) eddy_avro_parse_time((const uint8_t *)(s), strlen(s), &ms)
    EXPECT_EQ_INT(P("2026-11-24T20:00:00Z"), 0);
    EXPECT_EQ_INT(ms, 1795550400000LL);
    EXPECT_EQ_INT(P("2026-11-24T20:00:00.5Z"), 0);
    EXPECT_EQ_INT(ms, 1795550400500LL);
    EXPECT_EQ_INT(P("2026-11-24T20:00:00.123456789Z"), 0);
    EXPECT_EQ_INT(ms, 1795550400123LL);
    EXPECT_EQ_INT(P("2024-02-29T00:00:00Z"), 0);
    EXPECT_EQ_INT(P("2023-02-29T00:00:00Z"), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(P("2100-02-29T00:00:00Z"), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(P("2026-13-01T00:00:00Z"), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(P("2026-11-24T24:00:00Z"), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(P("2026-11-24T20:00:00"), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(P("2026-11-24T20:00:00.Z"), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(P("2026-11-24T20:00:00.1234567890Z"), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(P("2026-11-24 20:00:00Z"), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(P("11/24/2026 8:00:00 PM"), EDDY_ERR_PARSE);
#undef P
}

TEST(test_encode_bytes)
{
    eddy_buf b;
    eddy_buf_init(&b, 0);
    eddy_avro_event ev = {.sequence_number = 5, .enqueued_ms = 0, .key_len = -1, .body_len = -1};
    eddy_avro_eventdata_encode(&b, &ev);
    static const char want[] = "\x0a"
                               "\x02"
                               "5"
                               "\x38"
                               "1970-01-01T00:00:00.0000000Z"
                               "\x06"
                               "\x2a"
                               "x-opt-sequence-number"
                               "\x00\x0a"
                               "\x18"
                               "x-opt-offset"
                               "\x04\x02"
                               "5"
                               "\x26"
                               "x-opt-enqueued-time"
                               "\x00\x00"
                               "\x00"
                               "\x00"
                               "\x00";
    EXPECT_EQ_MEM(b.data, b.len, want, sizeof want - 1);

    /* Key, headers (a null value, a non-UTF-8 key), body. */
    eddy_buf_reset(&b);
    eddy_avro_kv kv[2] = {{.key = (const uint8_t *)"h", .key_len = 1, .value_len = -1},
                          {.key = (const uint8_t *)"\xff",
                           .key_len = 1,
                           .value = (const uint8_t *)"v",
                           .value_len = 1}};
    eddy_avro_event ev2 = {.sequence_number = 64,
                           .enqueued_ms = 1,
                           .key = (const uint8_t *)"k",
                           .key_len = 1,
                           .body = (const uint8_t *)"",
                           .body_len = 0,
                           .props = kv,
                           .nprops = 2};
    eddy_avro_eventdata_encode(&b, &ev2);
    static const char want2[] = "\x80\x01"
                                "\x04"
                                "64"
                                "\x38"
                                "1970-01-01T00:00:00.0010000Z"
                                "\x08"
                                "\x2a"
                                "x-opt-sequence-number"
                                "\x00\x80\x01"
                                "\x18"
                                "x-opt-offset"
                                "\x04\x04"
                                "64"
                                "\x26"
                                "x-opt-enqueued-time"
                                "\x00\x02"
                                "\x26"
                                "x-opt-partition-key"
                                "\x04\x02"
                                "k"
                                "\x00"
                                "\x04"
                                "\x02"
                                "h"
                                "\x06\x00"
                                "\x06\xef\xbf\xbd"
                                "\x06\x02"
                                "v"
                                "\x00"
                                "\x02\x00";
    EXPECT_EQ_MEM(b.data, b.len, want2, sizeof want2 - 1);
    EXPECT_EQ_INT(b.err, 0);

    /* A buffer cap is respected: the encoder fails the buffer. */
    eddy_buf small;
    eddy_buf_init(&small, 50);
    eddy_avro_eventdata_encode(&small, &ev2);
    EXPECT_EQ_INT(small.err, EDDY_ERR_LIMIT);
    eddy_buf_deinit(&small);
    eddy_buf_deinit(&b);
}

TEST(test_is_eventdata)
{
    eddy_avro_schema *s;
    char err[256];
    const char *exact = EDDY_AVRO_EVENTDATA_SCHEMA;
    EXPECT_EQ_INT(eddy_avro_schema_parse(exact, strlen(exact), &s, err, sizeof err), 0);
    EXPECT_TRUE(eddy_avro_schema_is_eventdata(s));
    eddy_avro_schema_free(s);
    /* Spelled differently (full name, spaces, a doc), same shape. */
    const char *other =
        "{ \"type\" : \"record\", \"name\" : \"Microsoft.ServiceBus.Messaging.EventData\", "
        "\"doc\": \"x\", \"fields\" : [ {\"name\":\"SequenceNumber\",\"type\":{\"type\":"
        "\"long\"}}, {\"name\":\"Offset\",\"type\":\"string\"},{\"name\":\"EnqueuedTimeUtc\","
        "\"type\":\"string\"},{\"name\":\"SystemProperties\",\"type\":{\"type\":\"map\","
        "\"values\":[\"long\",\"double\",\"string\",\"bytes\"]}},{\"name\":\"Properties\","
        "\"type\":{\"type\":\"map\",\"values\":[\"long\",\"double\",\"string\",\"bytes\"]}},{"
        "\"name\":\"Body\",\"type\":[\"null\",\"bytes\"]}]}";
    EXPECT_EQ_INT(eddy_avro_schema_parse(other, strlen(other), &s, err, sizeof err), 0);
    EXPECT_TRUE(eddy_avro_schema_is_eventdata(s));
    eddy_avro_schema_free(s);
    const char *not_body =
        "{\"type\":\"record\",\"name\":\"EventData\",\"namespace\":\"Microsoft.ServiceBus."
        "Messaging\",\"fields\":[{\"name\":\"SequenceNumber\",\"type\":\"long\"},{\"name\":"
        "\"Offset\",\"type\":\"string\"},{\"name\":\"EnqueuedTimeUtc\",\"type\":\"string\"},{"
        "\"name\":\"SystemProperties\",\"type\":{\"type\":\"map\",\"values\":[\"long\",\"double\","
        "\"string\",\"bytes\"]}},{\"name\":\"Properties\",\"type\":{\"type\":\"map\",\"values\":["
        "\"long\",\"double\",\"string\",\"bytes\"]}},{\"name\":\"Body\",\"type\":\"bytes\"}]}";
    EXPECT_EQ_INT(eddy_avro_schema_parse(not_body, strlen(not_body), &s, err, sizeof err), 0);
    EXPECT_TRUE(!eddy_avro_schema_is_eventdata(s));
    eddy_avro_schema_free(s);
    EXPECT_EQ_INT(eddy_avro_schema_parse("\"long\"", 6, &s, err, sizeof err), 0);
    EXPECT_TRUE(!eddy_avro_schema_is_eventdata(s));
    eddy_avro_schema_free(s);
}

int main(void)
{
    RUN(test_format_time_cases);
    RUN(test_format_time_sweep);
    RUN(test_parse_time);
    RUN(test_encode_bytes);
    RUN(test_is_eventdata);
    return test_summary();
}
