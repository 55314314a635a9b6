/* The line reader (see lines.h).
 *
 * One buffer holds the unconsumed bytes [start, end). A search for '\n'
 * resumes where the last one stopped (scanned), so a long line read in many
 * small chunks costs linear time. The buffer grows by doubling up to
 * max_line + 1 bytes plus one read chunk; a line that would need more is
 * skipped in skipping mode, which drops bytes until the next '\n'. */
#include "gen/lines.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

#define CHUNK          (64 * 1024)
#define DEFAULT_MAX    (1024 * 1024)
#define MAX_LINE_LIMIT ((size_t)1 << 30)

static ssize_t read_fd(void *ctx, void *buf, size_t cap)
{
    int fd = (int)(intptr_t)ctx;
    for (;;) {
        ssize_t n = read(fd, buf, cap);
        if (n >= 0) {
            return n;
        }
        if (errno == EAGAIN) {
            /* A non-blocking descriptor (stdin may be one): wait for data. */
            struct pollfd pfd = {.fd = fd, .events = POLLIN};
            (void)poll(&pfd, 1, -1);
        } else if (errno != EINTR) {
            return n;
        }
    }
}

int eddy_line_reader_init(eddy_line_reader *r, eddy_line_read_fn read, void *ctx, size_t max_line)
{
    memset(r, 0, sizeof *r);
    r->read = read;
    r->ctx = ctx;
    r->max_line = max_line ? max_line : DEFAULT_MAX;
    if (r->max_line > MAX_LINE_LIMIT) {
        r->max_line = MAX_LINE_LIMIT;
    }
    r->cap = CHUNK;
    r->buf = malloc(r->cap);
    return r->buf ? 0 : EDDY_ERR_NOMEM;
}

int eddy_line_reader_init_fd(eddy_line_reader *r, int fd, size_t max_line)
{
    return eddy_line_reader_init(r, read_fd, (void *)(intptr_t)fd, max_line);
}

void eddy_line_reader_deinit(eddy_line_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Makes room to read at least one more chunk (or what is left below the
 * cap): compacts, then grows. Returns 0, or EDDY_ERR_NOMEM. */
static int make_room(eddy_line_reader *r)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->cap - r->end >= CHUNK / 2) {
        return 0;
    }
    size_t ncap = r->cap * 2;
    char *nb = realloc(r->buf, ncap);
    if (!nb) {
        return EDDY_ERR_NOMEM;
    }
    r->buf = nb;
    r->cap = ncap;
    return 0;
}

/* Reads more bytes. Returns the count read (0 at end of input) or -1. */
static ssize_t fill(eddy_line_reader *r)
{
    if (make_room(r)) {
        r->read_errno = ENOMEM;
        return -1;
    }
    ssize_t n = r->read(r->ctx, r->buf + r->end, r->cap - r->end);
    if (n < 0) {
        r->read_errno = errno ? errno : EIO;
        return -1;
    }
    if (n == 0) {
        r->eof = true;
    }
    if ((size_t)n > r->cap - r->end) {
        n = (ssize_t)(r->cap - r->end); /* a reader that claims too much */
    }
    r->end += (size_t)n;
    return n;
}

int eddy_line_reader_next(eddy_line_reader *r, const char **line, size_t *len)
{
    if (r->read_errno) {
        return EDDY_ERR_IO;
    }
    for (;;) {
        char *base = r->buf + r->start;
        size_t have = r->end - r->start;
        char *nl = have > r->scanned ? memchr(base + r->scanned, '\n', have - r->scanned) : NULL;
        if (r->skipping) {
            if (nl) {
                /* The rest of the over-long line ends here. */
                r->start += (size_t)(nl - base) + 1;
                r->scanned = 0;
                r->skipping = false;
                continue;
            }
            r->start = r->end = r->scanned = 0; /* drop it all */
            if (r->eof) {
                r->skipping = false;
                return 0;
            }
            if (fill(r) < 0) {
                return EDDY_ERR_IO;
            }
            continue;
        }
        if (nl) {
            size_t n = (size_t)(nl - base);
            r->start += n + 1;
            r->scanned = 0;
            r->line_no++;
            if (n > r->max_line) {
                return EDDY_ERR_LIMIT;
            }
            *line = base;
            *len = n;
            return 1;
        }
        r->scanned = have;
        if (have > r->max_line) {
            /* No '\n' within the cap: skip this line. */
            r->line_no++;
            r->skipping = true;
            r->start = r->end = r->scanned = 0;
            return EDDY_ERR_LIMIT;
        }
        if (r->eof) {
            if (have == 0) {
                return 0;
            }
            /* The last line, without a newline. */
            r->start = r->end;
            r->scanned = 0;
            r->line_no++;
            *line = base;
            *len = have;
            return 1;
        }
        if (fill(r) < 0) {
            return EDDY_ERR_IO;
        }
    }
}
