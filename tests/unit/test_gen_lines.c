/* gen/lines.h: the replay line reader. Lines come back byte for byte
 * whatever the read sizes (1 byte at a time up to large chunks), with or
 * without a final newline; '\r' stays; empty lines are lines; over-long
 * lines are skipped and reported once with their number; read errors are
 * sticky; a file descriptor works the same as a callback. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/error.h"
#include "gen/lines.h"
#include "test.h"

typedef struct mem_src {
    const char *data;
    size_t len;
    size_t pos;
    size_t chunk; /* bytes per read at most */
    int fail_at;  /* fail the Nth read (1-based); 0 never */
    int reads;
} mem_src;

static ssize_t mem_read(void *ctx, void *buf, size_t cap)
{
    mem_src *m = ctx;
    if (m->fail_at && ++m->reads == m->fail_at) {
        errno = EIO;
        return -1;
    }
    size_t n = m->len - m->pos;
    if (n > cap) {
        n = cap;
    }
    if (n > m->chunk) {
        n = m->chunk;
    }
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (ssize_t)n;
}

/* Reads everything; joins lines with '\n' into out; counts skipped lines. */
static size_t read_all(const char *data, size_t len, size_t chunk, size_t max_line, char *out,
                       int *nlines, int *skipped)
{
    mem_src m = {data, len, 0, chunk, 0, 0};
    eddy_line_reader r;
    eddy_line_reader_init(&r, mem_read, &m, max_line);
    size_t o = 0;
    *nlines = 0;
    *skipped = 0;
    for (;;) {
        const char *line;
        size_t n;
        int rc = eddy_line_reader_next(&r, &line, &n);
        if (rc == 0) {
            break;
        }
        if (rc == EDDY_ERR_LIMIT) {
            (*skipped)++;
            continue;
        }
        if (rc < 0) {
            break;
        }
        memcpy(out + o, line, n);
        o += n;
        out[o++] = '\n';
        (*nlines)++;
    }
    eddy_line_reader_deinit(&r);
    return o;
}

TEST(lines_round_trip_for_every_chunk_size)
{
    const char *data = "{\"a\":1}\nplain\r\n\n\nlast line without newline";
    size_t len = strlen(data);
    static const size_t chunks[] = {1, 2, 3, 7, 64, 1 << 20};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        char out[256];
        int nlines, skipped;
        size_t n = read_all(data, len, chunks[c], 0, out, &nlines, &skipped);
        /* The reader adds the newline the last line lacked. */
        EXPECT_EQ_INT(n, len + 1);
        EXPECT_EQ_MEM(out, len, data, len);
        EXPECT_EQ_INT(nlines, 5);
        EXPECT_EQ_INT(skipped, 0);
    }
}

TEST(empty_input_and_single_newline)
{
    char out[16];
    int nlines, skipped;
    EXPECT_EQ_INT(read_all("", 0, 4, 0, out, &nlines, &skipped), 0);
    EXPECT_EQ_INT(nlines, 0);
    EXPECT_EQ_INT(read_all("\n", 1, 4, 0, out, &nlines, &skipped), 1);
    EXPECT_EQ_INT(nlines, 1); /* one empty line */
    EXPECT_EQ_INT(read_all("a\n", 2, 4, 0, out, &nlines, &skipped), 2);
    EXPECT_EQ_INT(nlines, 1);
}

TEST(long_lines_up_to_the_cap_come_through)
{
    /* 3 MiB line read in odd chunks, with a 4 MiB cap. */
    size_t big = 3 << 20;
    char *data = malloc(big + 16);
    for (size_t i = 0; i < big; i++) {
        data[i] = (char)('a' + i % 26);
    }
    memcpy(data + big, "\nend", 4);
    char *out = malloc(big + 32);
    int nlines, skipped;
    size_t n = read_all(data, big + 4, 65537, 4 << 20, out, &nlines, &skipped);
    EXPECT_EQ_INT(nlines, 2);
    EXPECT_EQ_INT(skipped, 0);
    EXPECT_EQ_INT(n, big + 5);
    EXPECT_TRUE(memcmp(out, data, big + 4) == 0);
    free(data);
    free(out);
}

TEST(over_long_lines_are_skipped_and_numbered)
{
    /* Lines: "ok1", 100 x's, "ok2", 100 y's without a newline at the end. */
    char data[512];
    size_t len = 0;
    len += (size_t)sprintf(data + len, "ok1\n");
    memset(data + len, 'x', 100);
    len += 100;
    data[len++] = '\n';
    len += (size_t)sprintf(data + len, "ok2\n");
    memset(data + len, 'y', 100);
    len += 100;
    static const size_t chunks[] = {1, 5, 64, 4096};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        mem_src m = {data, len, 0, chunks[c], 0, 0};
        eddy_line_reader r;
        eddy_line_reader_init(&r, mem_read, &m, 10);
        const char *line;
        size_t n;
        EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), 1);
        EXPECT_EQ_MEM(line, n, "ok1", 3);
        EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), EDDY_ERR_LIMIT);
        EXPECT_EQ_INT(r.line_no, 2);
        EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), 1);
        EXPECT_EQ_MEM(line, n, "ok2", 3);
        EXPECT_EQ_INT(r.line_no, 3);
        EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), EDDY_ERR_LIMIT);
        EXPECT_EQ_INT(r.line_no, 4);
        EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), 0);
        EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), 0);
        eddy_line_reader_deinit(&r);
    }
}

TEST(a_line_exactly_at_the_cap_is_kept)
{
    char data[] = "0123456789\n0123456789";
    char out[64];
    int nlines, skipped;
    read_all(data, strlen(data), 3, 10, out, &nlines, &skipped);
    EXPECT_EQ_INT(nlines, 2);
    EXPECT_EQ_INT(skipped, 0);
    read_all(data, strlen(data), 3, 9, out, &nlines, &skipped);
    EXPECT_EQ_INT(nlines, 0);
    EXPECT_EQ_INT(skipped, 2);
}

TEST(read_errors_are_sticky)
{
    const char *data = "a\nb\nc\n";
    mem_src m = {data, strlen(data), 0, 2, 2, 0};
    eddy_line_reader r;
    eddy_line_reader_init(&r, mem_read, &m, 0);
    const char *line;
    size_t n;
    EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), 1);
    EXPECT_EQ_MEM(line, n, "a", 1);
    EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), EDDY_ERR_IO);
    EXPECT_EQ_INT(r.read_errno, EIO);
    EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), EDDY_ERR_IO);
    eddy_line_reader_deinit(&r);
}

TEST(file_descriptor_source)
{
    int fds[2];
    EXPECT_TRUE(pipe(fds) == 0);
    const char *data = "one\ntwo\r\nthree";
    EXPECT_EQ_INT(write(fds[1], data, strlen(data)), (long long)strlen(data));
    close(fds[1]);
    eddy_line_reader r;
    EXPECT_EQ_INT(eddy_line_reader_init_fd(&r, fds[0], 0), 0);
    const char *line;
    size_t n;
    EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), 1);
    EXPECT_EQ_MEM(line, n, "one", 3);
    EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), 1);
    EXPECT_EQ_MEM(line, n, "two\r", 4);
    EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), 1);
    EXPECT_EQ_MEM(line, n, "three", 5);
    EXPECT_EQ_INT(eddy_line_reader_next(&r, &line, &n), 0);
    eddy_line_reader_deinit(&r);
    close(fds[0]);
}

int main(void)
{
    RUN(lines_round_trip_for_every_chunk_size);
    RUN(empty_input_and_single_newline);
    RUN(long_lines_up_to_the_cap_come_through);
    RUN(over_long_lines_are_skipped_and_numbered);
    RUN(a_line_exactly_at_the_cap_is_kept);
    RUN(read_errors_are_sticky);
    RUN(file_descriptor_source);
    return test_summary();
}
