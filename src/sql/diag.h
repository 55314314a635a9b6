/* SQL diagnostics: the error struct every stage of the SQL front end fills
 * (lexer, parser, later the binder), the renderer that prints it with the
 * offending source line and a caret, and the nearest-name helper behind
 * "did you mean" suggestions (function names now, column names later).
 *
 * Positions are byte offsets into the query text; lines and columns are
 * 1-based, and a column counts UTF-8 characters, not bytes. */
#ifndef EDDY_SQL_DIAG_H
#define EDDY_SQL_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define EDDY_SQL_ERROR_MSG_MAX 256

/* One error. code is 0 (none), EDDY_ERR_PARSE (a syntax error: message and
 * position set), EDDY_ERR_LIMIT (the text or its nesting is over a limit;
 * position set) or EDDY_ERR_NOMEM (no position). */
typedef struct eddy_sql_error {
    int code;
    uint32_t off;  /* first byte of the offending text */
    uint32_t len;  /* its length in bytes; 0 at the end of the text */
    uint32_t line; /* 1-based */
    uint32_t col;  /* 1-based, in UTF-8 characters */
    char msg[EDDY_SQL_ERROR_MSG_MAX];
} eddy_sql_error;

/* Sets err to code with a printf-style message about src[off, off+len)
 * (borrowed, len bytes of text); computes line and column by scanning src.
 * off past the end is clamped. Messages longer than the buffer are cut. */
void eddy_sql_error_set(eddy_sql_error *err, int code, const char *src, size_t srclen, size_t off,
                        size_t len, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

void eddy_sql_error_setv(eddy_sql_error *err, int code, const char *src, size_t srclen, size_t off,
                         size_t len, const char *fmt, va_list ap);

/* Computes the 1-based line and column (UTF-8 characters) of src[off]. A
 * line ends at '\n'; "\r\n" counts once. */
void eddy_sql_locate(const char *src, size_t srclen, size_t off, uint32_t *line, uint32_t *col);

/* Appends the error to out as
 *
 *   error: MESSAGE at line L, column C
 *     L | the source line
 *       |      ^~~~
 *
 * The caret line marks err->len bytes (at least one character, at most to
 * the end of the line); tabs in the source line are kept in the padding so
 * the caret lines up. An error without a position (NOMEM) is one line.
 * Every line ends with '\n'. Returns out->err (0 or the buffer's error). */
int eddy_sql_error_render(const eddy_sql_error *err, const char *src, size_t srclen, eddy_buf *out);

/* The optimal-string-alignment (restricted Damerau-Levenshtein) distance
 * between a and b, ASCII case-insensitive. Strings longer than 64 bytes get
 * SIZE_MAX (never suggested). */
size_t eddy_sql_edit_distance(const char *a, size_t alen, const char *b, size_t blen);

/* The largest distance at which a name of len bytes still gets a
 * suggestion: 1 up to 4 bytes, 2 up to 8, else 3. */
size_t eddy_sql_suggest_limit(size_t len);

/* Returns the index of the name in names[0..n) (NUL-terminated, borrowed)
 * nearest to word[0..len), or -1 when none is within
 * eddy_sql_suggest_limit(len). A name differing only in case is at distance
 * 0 and so is suggested. Ties go to the earlier name. */
long eddy_sql_nearest(const char *word, size_t len, const char *const *names, size_t n);

#endif
