/* SQL diagnostics (see diag.h): error positions, the caret renderer and
 * the edit distance behind suggestions. */
#include "sql/diag.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

static int is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

void eddy_sql_locate(const char *src, size_t srclen, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1, c = 1;
    if (off > srclen) {
        off = srclen;
    }
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)src[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if (ch == '\r' && i + 1 < srclen && src[i + 1] == '\n') {
            /* "\r\n": the '\n' ends the line */
        } else if (!is_cont(ch)) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

void eddy_sql_error_setv(eddy_sql_error *err, int code, const char *src, size_t srclen, size_t off,
                         size_t len, const char *fmt, va_list ap)
{
    if (off > srclen) {
        off = srclen;
    }
    if (len > srclen - off) {
        len = srclen - off;
    }
    err->code = code;
    err->off = (uint32_t)off;
    err->len = (uint32_t)len;
    eddy_sql_locate(src, srclen, off, &err->line, &err->col);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

void eddy_sql_error_set(eddy_sql_error *err, int code, const char *src, size_t srclen, size_t off,
                        size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    eddy_sql_error_setv(err, code, src, srclen, off, len, fmt, ap);
    va_end(ap);
}

static void put_str(eddy_buf *out, const char *s)
{
    eddy_buf_append(out, s, strlen(s));
}

static void put_repeat(eddy_buf *out, char c, size_t n)
{
    uint8_t *p = eddy_buf_extend(out, n);
    if (p) {
        memset(p, c, n);
    }
}

int eddy_sql_error_render(const eddy_sql_error *err, const char *src, size_t srclen, eddy_buf *out)
{
    char head[64];
    put_str(out, "error: ");
    put_str(out, err->msg);
    if (err->code == EDDY_ERR_NOMEM || err->line == 0) {
        put_str(out, "\n");
        return out->err;
    }
    snprintf(head, sizeof head, " at line %u, column %u\n", err->line, err->col);
    put_str(out, head);

    /* The line holding the error. */
    size_t off = err->off > srclen ? srclen : err->off;
    size_t start = off, end = off;
    while (start > 0 && src[start - 1] != '\n') {
        start--;
    }
    while (end < srclen && src[end] != '\n') {
        end++;
    }
    size_t shown_end = end;
    if (shown_end > start && src[shown_end - 1] == '\r') {
        shown_end--;
    }
    int width = snprintf(head, sizeof head, "%u", err->line);
    snprintf(head, sizeof head, "  %u |", err->line);
    put_str(out, head);
    if (shown_end > start) {
        put_str(out, " ");
        /* Control characters would move the terminal's cursor: show '?'. */
        uint8_t *p = eddy_buf_extend(out, shown_end - start);
        if (p) {
            for (size_t i = start; i < shown_end; i++) {
                unsigned char ch = (unsigned char)src[i];
                p[i - start] = (ch < 0x20 && ch != '\t') || ch == 0x7F ? '?' : ch;
            }
        }
    }
    put_str(out, "\n");

    /* The caret line: padding that copies tabs, then ^ and ~ over the text. */
    put_str(out, "  ");
    put_repeat(out, ' ', (size_t)width);
    put_str(out, " | ");
    for (size_t i = start; i < off && i < shown_end; i++) {
        unsigned char ch = (unsigned char)src[i];
        if (ch == '\t') {
            put_repeat(out, '\t', 1);
        } else if (!is_cont(ch)) {
            put_repeat(out, ' ', 1);
        }
    }
    put_str(out, "^");
    size_t mark_end = off + err->len;
    if (mark_end > shown_end) {
        mark_end = shown_end;
    }
    size_t chars = 0;
    for (size_t i = off; i < mark_end; i++) {
        if (!is_cont((unsigned char)src[i])) {
            chars++;
        }
    }
    if (chars > 1) {
        put_repeat(out, '~', chars - 1);
    }
    put_str(out, "\n");
    return out->err;
}

#define DIST_MAX_LEN 64

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

size_t eddy_sql_edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen > DIST_MAX_LEN || blen > DIST_MAX_LEN) {
        return SIZE_MAX;
    }
    /* Three rows of the dynamic-programming table: i-2, i-1, i. */
    size_t rows[3][DIST_MAX_LEN + 1];
    for (size_t j = 0; j <= blen; j++) {
        rows[1][j] = j;
    }
    for (size_t i = 1; i <= alen; i++) {
        size_t *cur = rows[(i + 1) % 3], *prev = rows[i % 3], *prev2 = rows[(i + 2) % 3];
        cur[0] = i;
        unsigned char ca = lower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= blen; j++) {
            unsigned char cb = lower((unsigned char)b[j - 1]);
            size_t cost = ca == cb ? 0 : 1;
            size_t best = prev[j] + 1;
            if (cur[j - 1] + 1 < best) {
                best = cur[j - 1] + 1;
            }
            if (prev[j - 1] + cost < best) {
                best = prev[j - 1] + cost;
            }
            if (i > 1 && j > 1 && ca == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < best) {
                best = prev2[j - 2] + 1; /* a transposition */
            }
            cur[j] = best;
        }
    }
    return rows[(alen + 1) % 3][blen];
}

size_t eddy_sql_suggest_limit(size_t len)
{
    return len <= 4 ? 1 : len <= 8 ? 2 : 3;
}

long eddy_sql_nearest(const char *word, size_t len, const char *const *names, size_t n)
{
    long best = -1;
    size_t best_d = eddy_sql_suggest_limit(len) + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = eddy_sql_edit_distance(word, len, names[i], strlen(names[i]));
        if (d < best_d) {
            best_d = d;
            best = (long)i;
        }
    }
    return best;
}
