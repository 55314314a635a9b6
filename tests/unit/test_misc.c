/* Errors, clocks and logging. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"
#include "test.h"

TEST(error_codes_match_kafka)
{
    EXPECT_EQ_INT(EDDY_OK, 0);
    EXPECT_EQ_INT(EDDY_ERR_CORRUPT_MESSAGE, 2);
    EXPECT_EQ_INT(EDDY_ERR_MESSAGE_TOO_LARGE, 10);
    EXPECT_EQ_INT(EDDY_ERR_UNSUPPORTED_VERSION, 35);
    EXPECT_EQ_INT(EDDY_ERR_KAFKA_STORAGE_ERROR, 56);
    EXPECT_EQ_INT(EDDY_ERR_MEMBER_ID_REQUIRED, 79);
    EXPECT_EQ_INT(EDDY_ERR_INVALID_RECORD, 87);
    EXPECT_EQ_STR(eddy_err_name(EDDY_ERR_MESSAGE_TOO_LARGE), "MESSAGE_TOO_LARGE");
    EXPECT_EQ_STR(eddy_err_name(EDDY_ERR_NOSPACE), "NOSPACE");
    EXPECT_EQ_STR(eddy_err_name(0), "NONE");
    EXPECT_EQ_STR(eddy_err_name(12345), "UNKNOWN_CODE");
    EXPECT_EQ_STR(eddy_err_str(EDDY_ERR_NOMEM), "out of memory");
    EXPECT_TRUE(EDDY_ERR_NOMEM < 0 && EDDY_ERR_PARSE < 0);
}

TEST(error_wire_and_errno_mapping)
{
    EXPECT_EQ_INT(eddy_err_to_wire(EDDY_ERR_NOSPACE), EDDY_ERR_KAFKA_STORAGE_ERROR);
    EXPECT_EQ_INT(eddy_err_to_wire(EDDY_ERR_IO), EDDY_ERR_KAFKA_STORAGE_ERROR);
    EXPECT_EQ_INT(eddy_err_to_wire(EDDY_ERR_PARSE), EDDY_ERR_CORRUPT_MESSAGE);
    EXPECT_EQ_INT(eddy_err_to_wire(EDDY_ERR_LIMIT), EDDY_ERR_MESSAGE_TOO_LARGE);
    EXPECT_EQ_INT(eddy_err_to_wire(EDDY_ERR_NOMEM), -1);
    EXPECT_EQ_INT(eddy_err_to_wire(EDDY_ERR_NOT_COORDINATOR), 16);
    EXPECT_EQ_INT(eddy_err_from_errno(ENOSPC), EDDY_ERR_NOSPACE);
    EXPECT_EQ_INT(eddy_err_from_errno(ENOENT), EDDY_ERR_NOT_FOUND);
    EXPECT_EQ_INT(eddy_err_from_errno(EIO), EDDY_ERR_IO);
    EXPECT_EQ_INT(eddy_err_from_errno(0), EDDY_OK);
}

TEST(clocks)
{
    int64_t a = eddy_clock_mono_ns();
    int64_t b = eddy_clock_mono_ns();
    EXPECT_TRUE(b >= a);
    /* Wall clock is after 2020-01-01 and the ms/ns readings agree. */
    int64_t ms = eddy_clock_wall_ms();
    EXPECT_TRUE(ms > 1577836800000LL);
    int64_t ns = eddy_clock_wall_ns();
    EXPECT_TRUE(ns / 1000000 - ms < 60000);
    char out[40];
    EXPECT_EQ_STR(eddy_clock_format_iso_ms(0, out, sizeof out), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ_STR(eddy_clock_format_iso_ms(1795550400123LL, out, sizeof out),
                  "2026-11-24T20:00:00.123Z");
    EXPECT_EQ_STR(eddy_clock_format_iso_ms(-1, out, sizeof out), "1969-12-31T23:59:59.999Z");
}

TEST(log_lines_are_key_value)
{
    char path[] = "/tmp/eddy-log-XXXXXX";
    int fd = mkstemp(path);
    EXPECT_TRUE(fd >= 0);
    unlink(path);
    eddy_log_set_fd(fd);
    eddy_log_set_level(EDDY_LOG_INFO);
    eddy_log_debug("test.hidden", "x=%d", 1);
    eddy_log_info("test.event", "n=%d name=%s", 42, "abc");
    eddy_log_error("test.bare", "%s", "");
    eddy_log_set_fd(2);
    char buf[512] = {0};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    close(fd);
    EXPECT_TRUE(n > 0);
    EXPECT_TRUE(strstr(buf, "test.hidden") == NULL);
    char *line = strstr(buf, "level=info event=test.event n=42 name=abc\n");
    EXPECT_TRUE(line != NULL);
    EXPECT_TRUE(strncmp(buf, "ts=", 3) == 0);
    EXPECT_TRUE(strstr(buf, "level=error event=test.bare\n") != NULL);
    EXPECT_EQ_INT(eddy_log_level_parse("WARN"), EDDY_LOG_WARN);
    EXPECT_EQ_INT(eddy_log_level_parse("loud"), -1);
}

int main(void)
{
    RUN(error_codes_match_kafka);
    RUN(error_wire_and_errno_mapping);
    RUN(clocks);
    RUN(log_lines_are_key_value);
    return test_summary();
}
