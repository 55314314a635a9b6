/* A line reader for replaying files and stdin: lines of any length up to a
 * cap, with or without a newline after the last one, bytes unchanged.
 *
 * A line is the bytes before a '\n' (a '\r' before it stays part of the
 * line: replay sends bytes unchanged). The last line needs no '\n'; an empty
 * input has no lines, and "a\n" has one. A line longer than the cap is
 * skipped (its bytes are read and dropped up to the next '\n') and reported
 * once with EDDY_ERR_LIMIT; the reader then goes on with the next line. The
 * input is untrusted: nothing in it can make the reader crash, loop or use
 * more than about twice the cap in memory. Not thread-safe. */
#ifndef EDDY_GEN_LINES_H
#define EDDY_GEN_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads up to cap bytes into buf: returns the count, 0 at end of input, or
 * -1 with errno set. */
typedef ssize_t (*eddy_line_read_fn)(void *ctx, void *buf, size_t cap);

typedef struct eddy_line_reader {
    eddy_line_read_fn read;
    void *ctx;
    char *buf;        /* owned */
    size_t cap;       /* allocated */
    size_t start;     /* first unconsumed byte */
    size_t end;       /* one past the last byte read */
    size_t scanned;   /* bytes after start already searched for '\n' */
    size_t max_line;  /* longest line returned */
    uint64_t line_no; /* 1-based number of the line last returned or skipped */
    bool eof;
    bool skipping; /* inside an over-long line */
    int read_errno;
} eddy_line_reader;

/* Initialises r to read through read(ctx, ...), returning lines of at most
 * max_line bytes (0 = 1 MiB). Returns 0 or EDDY_ERR_NOMEM. */
int eddy_line_reader_init(eddy_line_reader *r, eddy_line_read_fn read, void *ctx, size_t max_line);

/* Initialises r to read file descriptor fd (borrowed; not closed). */
int eddy_line_reader_init_fd(eddy_line_reader *r, int fd, size_t max_line);

void eddy_line_reader_deinit(eddy_line_reader *r);

/* Returns 1 and the next line in *line and *len (borrowed; valid until the next
 * call), 0 at the end of input, EDDY_ERR_LIMIT when line r->line_no was
 * longer than the cap and was skipped (call again to go on), or
 * EDDY_ERR_IO when reading failed (r->read_errno says why; sticky). */
int eddy_line_reader_next(eddy_line_reader *r, const char **line, size_t *len);

#endif
