/* CSV files (read_csv): RFC 4180 records of fields separated by the
 * delimiter (',' unless told), quoted fields holding delimiters, doubled
 * quotes and line breaks, records ending with LF or CRLF.
 *
 * Columns: the header's names (header => true; an empty name is colN), else
 * col1..colN; each file is matched by name against its own header. Values
 * are typed per chunk: an unquoted field that is an integer is INT (DOUBLE
 * past int64), a number with a fraction or exponent DOUBLE, an empty one
 * null, anything else (and every quoted field) STRING. A quote inside an
 * unquoted field is taken literally; after a closing quote only the
 * delimiter or the end of the record may follow. Missing trailing fields
 * are null, extra ones ignored; empty lines are skipped.
 *
 * A reader first finds a whole record's field spans, then fills the row, so
 * a record cut by the end of the buffer is never half-stored. Big files are
 * split at record starts found by running the same quote rules over the
 * file once (split points are exact; a reader starts right at its range). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "sql/src_int.h"

#define MAX_FIELDS 65536

typedef struct field {
    const char *p;
    uint32_t len;
    bool quoted;
    bool doubled; /* holds "" pairs to undo */
} field;

typedef struct fields {
    field *v;
    size_t n, cap;
} fields;

static char delim_of(const eddy_sql_src *s)
{
    return s->opts.csv_delim ? s->opts.csv_delim : ',';
}

static int fields_add(fields *f, const char *p, size_t len, bool quoted, bool doubled)
{
    if (f->n == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 32;
        if (ncap > MAX_FIELDS) {
            return EDDY_ERR_LIMIT;
        }
        field *nv = realloc(f->v, ncap * sizeof *nv);
        if (!nv) {
            return EDDY_ERR_NOMEM;
        }
        f->v = nv;
        f->cap = ncap;
    }
    f->v[f->n++] = (field){p, (uint32_t)len, quoted, doubled};
    return 0;
}

/* Splits the record at p into fields. Returns 1 with *next past its line
 * break, 0 when the record may go on past lim (read more first), or -1
 * with *what and *at. */
static int split_record(const char *p, const char *lim, bool eof, char delim, fields *f,
                        const char **next, const char **what, const char **at)
{
    f->n = 0;
    for (;;) {
        const char *s = p;
        if (p < lim && *p == '"') {
            const char *q = p + 1;
            bool doubled = false;
            for (;;) {
                q = memchr(q, '"', (size_t)(lim - q));
                if (!q) {
                    if (!eof) {
                        return 0;
                    }
                    *what = "unterminated quoted field";
                    *at = s;
                    return -1;
                }
                if (q + 1 == lim && !eof) {
                    return 0;
                }
                if (q + 1 < lim && q[1] == '"') {
                    doubled = true;
                    q += 2;
                    continue;
                }
                break;
            }
            int rc = fields_add(f, p + 1, (size_t)(q - p - 1), true, doubled);
            if (rc) {
                *what = rc == EDDY_ERR_LIMIT ? "too many fields" : "out of memory";
                *at = s;
                return -1;
            }
            p = q + 1;
            if (p == lim) {
                *next = p;
                return 1;
            }
            if (*p == delim) {
                p++;
                continue;
            }
            if (*p == '\n') {
                *next = p + 1;
                return 1;
            }
            if (*p == '\r') {
                if (p + 1 == lim && !eof) {
                    return 0;
                }
                if (p + 1 < lim && p[1] == '\n') {
                    *next = p + 2;
                    return 1;
                }
            }
            *what = "unexpected character after a closing quote";
            *at = p;
            return -1;
        }
        while (p < lim && *p != delim && *p != '\n') {
            p++;
        }
        if (p == lim && !eof) {
            return 0;
        }
        const char *e = p;
        if (p < lim && *p == '\n' && e > s && e[-1] == '\r') {
            e--;
        }
        int rc = fields_add(f, s, (size_t)(e - s), false, false);
        if (rc) {
            *what = rc == EDDY_ERR_LIMIT ? "too many fields" : "out of memory";
            *at = s;
            return -1;
        }
        if (p < lim && *p == delim) {
            p++;
            continue;
        }
        *next = p < lim ? p + 1 : p;
        return 1;
    }
}

static bool blank_record(const fields *f)
{
    return f->n == 1 && !f->v[0].quoted && f->v[0].len == 0;
}

/* ---- typing ------------------------------------------------------------ */

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* An unquoted value: null, INT, DOUBLE or STRING. */
static void put_value(src_col *c, uint32_t row, const char *p, size_t n)
{
    if (n == 0) {
        return;
    }
    size_t i = 0;
    bool neg = false;
    if (p[0] == '+' || p[0] == '-') {
        neg = p[0] == '-';
        i++;
    }
    size_t ds = i;
    while (i < n && digit(p[i])) {
        i++;
    }
    size_t nint = i - ds;
    if (i == n && nint > 0) {
        uint64_t m = 0;
        bool over = false;
        for (size_t k = ds; k < n; k++) {
            unsigned d = (unsigned)(p[k] - '0');
            if (m > (UINT64_MAX - d) / 10) {
                over = true;
                break;
            }
            m = m * 10 + d;
        }
        if (!over && m <= (uint64_t)INT64_MAX + (neg ? 1 : 0)) {
            src_col_put_int(c, row,
                            neg ? (m > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)m) : (int64_t)m);
            return;
        }
    } else {
        size_t nfrac = 0;
        if (i < n && p[i] == '.') {
            i++;
            size_t fs = i;
            while (i < n && digit(p[i])) {
                i++;
            }
            nfrac = i - fs;
        }
        if (nint + nfrac == 0) {
            goto string;
        }
        if (i < n && (p[i] == 'e' || p[i] == 'E')) {
            i++;
            if (i < n && (p[i] == '+' || p[i] == '-')) {
                i++;
            }
            size_t es = i;
            while (i < n && digit(p[i])) {
                i++;
            }
            if (i == es) {
                goto string;
            }
        }
        if (i != n) {
            goto string;
        }
    }
    /* A number: JSON's converter when the text is JSON's grammar (the
     * common case), else strtod. */
    bool is_int;
    int64_t iv;
    double dv;
    if (p[0] != '+' && jscan_number(p, p + n, &is_int, &iv, &dv) == p + n && !is_int) {
        src_col_put_double(c, row, dv);
        return;
    }
    char small[128];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf) {
        goto string;
    }
    memcpy(buf, p, n);
    buf[n] = '\0';
    dv = strtod(buf, NULL);
    if (buf != small) {
        free(buf);
    }
    src_col_put_double(c, row, dv);
    return;
string:
    src_col_put_text(c, row, EDDY_SQL_V_STRING, p, n);
}

/* ---- the source ---------------------------------------------------------- */

/* Reads the first record of file i into f (pointing into fb). Returns 1,
 * 0 for an empty file, or an error with a message. */
static int first_record(const eddy_sql_src *s, uint32_t i, src_fbuf *fb, fields *f, char *err,
                        size_t errlen)
{
    int rc = src_fbuf_open(fb, i, 0, UINT64_MAX, err, errlen);
    while (!rc) {
        const char *p = fb->buf, *lim = fb->buf + fb->len, *next, *what = NULL, *at = NULL;
        if (fb->eof && p == lim) {
            return 0;
        }
        if (fb->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3;
        }
        int got = split_record(p, lim, fb->eof, delim_of(s), f, &next, &what, &at);
        if (got > 0) {
            return 1;
        }
        if (got < 0) {
            snprintf(err, errlen, "%s:1: bad CSV header: %s at byte %zu", s->files[i].path, what,
                     (size_t)(at - fb->buf + 1));
            return EDDY_ERR_PARSE;
        }
        rc = src_fbuf_more(fb, err, errlen);
    }
    return rc;
}

static int name_of(src_names *nm, const field *fd, size_t k)
{
    if (fd->len == 0) {
        char b[32];
        int n = snprintf(b, sizeof b, "col%zu", k + 1);
        return src_names_add(nm, b, (size_t)n);
    }
    if (!fd->doubled) {
        return src_names_add(nm, fd->p, fd->len);
    }
    char *t = malloc(fd->len);
    if (!t) {
        return EDDY_ERR_NOMEM;
    }
    size_t m = 0;
    for (uint32_t j = 0; j < fd->len; j++) {
        t[m++] = fd->p[j];
        if (fd->p[j] == '"') {
            j++;
        }
    }
    int rc = src_names_add(nm, t, m);
    free(t);
    return rc;
}

/* The names of a file's columns (header or col1..colN) into nm. */
static int file_names(const eddy_sql_src *s, uint32_t i, src_names *nm, char *err, size_t errlen)
{
    src_fbuf fb;
    fields f = {0};
    int rc = src_fbuf_init(&fb, s, (size_t)64 << 10);
    if (!rc) {
        rc = first_record(s, i, &fb, &f, err, errlen);
        if (rc == 1) {
            rc = 0;
            for (size_t k = 0; k < f.n && !rc; k++) {
                if (s->opts.csv_header) {
                    rc = name_of(nm, &f.v[k], k);
                } else {
                    field none = {0};
                    rc = name_of(nm, &none, k);
                }
            }
        }
    }
    if (rc == EDDY_ERR_NOMEM) {
        snprintf(err, errlen, "out of memory");
    }
    free(f.v);
    src_fbuf_deinit(&fb);
    return rc;
}

static int csv_open(eddy_sql_src *s, char *err, size_t errlen)
{
    if (s->opts.csv_delim == '"' || s->opts.csv_delim == '\n' || s->opts.csv_delim == '\r') {
        snprintf(err, errlen, "a CSV delimiter cannot be a quote or a line break");
        return EDDY_ERR_INVALID_ARG;
    }
    return s->nfiles ? file_names(s, 0, &s->names, err, errlen) : 0;
}

static int csv_project(eddy_sql_src *s, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->nicols; i++) {
        const eddy_sql_src_col *c = &s->icols[i];
        if (c->nparts != 1) {
            snprintf(err, errlen, "CSV has no nested fields: '%.*s.%.*s'", (int)c->lens[0],
                     c->parts[0], (int)c->lens[1], c->parts[1]);
            return EDDY_ERR_INVALID_ARG;
        }
    }
    return 0;
}

/* Record starts at or after each target of a big file: the quote rules of
 * split_record run over the whole file once. */
static int split_file(eddy_sql_src *s, uint32_t i, uint64_t part_bytes)
{
    uint64_t size = s->files[i].size;
    uint64_t k = (size + part_bytes - 1) / part_bytes, j = 1;
    uint64_t step = size / k, last = 0;
    char err[256];
    int fd = src_open_file(s, i, err, sizeof err);
    if (fd == -1) {
        return src_add_range(s, i, 0, size); /* the reader reports it */
    }
    char *buf = malloc((size_t)1 << 20);
    int rc = buf ? 0 : EDDY_ERR_NOMEM;
    enum { START, UNQ, Q, QQ } st = START;
    char delim = delim_of(s);
    uint64_t off = 0;
    /* A byte order mark is not part of the first field (as for readers). */
    if (buf && src_pread(s, fd, buf, 3, 0) == 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        off = 3;
    }
    while (!rc && j < k) {
        ptrdiff_t got = src_pread(s, fd, buf, (size_t)1 << 20, off);
        if (got <= 0) {
            break;
        }
        for (ptrdiff_t b = 0; b < got && j < k; b++) {
            char c = buf[b];
            switch (st) {
            case Q:
                st = c == '"' ? QQ : Q;
                continue;
            case QQ:
                if (c == '"') {
                    st = Q;
                    continue;
                }
                break;
            case START:
                if (c == '"') {
                    st = Q;
                    continue;
                }
                break;
            case UNQ:
                break;
            }
            if (c == delim) {
                st = START;
            } else if (c == '\n') {
                st = START;
                uint64_t at = off + (uint64_t)b + 1;
                if (at >= step * j && at < size) {
                    rc = src_add_range(s, i, last, at);
                    last = at;
                    while (j < k && step * j <= at) {
                        j++;
                    }
                }
            } else {
                st = UNQ;
            }
        }
        off += (uint64_t)got;
    }
    if (!rc) {
        rc = src_add_range(s, i, last, size);
    }
    free(buf);
    if (fd >= 0) {
        close(fd);
    }
    return rc;
}

static int csv_ranges(eddy_sql_src *s, uint64_t part_bytes)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        uint64_t size = s->files[i].size;
        int rc = 0;
        if (size == 0) {
            continue;
        }
        if (size > part_bytes + part_bytes / 2) {
            rc = split_file(s, (uint32_t)i, part_bytes);
        } else {
            rc = src_add_range(s, (uint32_t)i, 0, size);
        }
        if (rc) {
            return rc;
        }
    }
    return 0;
}

typedef struct csv_reader {
    src_fbuf fb;
    fields f;
    int32_t *map; /* internal column -> field of the current file, or -1 */
    bool active;
    bool header; /* the current range starts with the header */
    uint32_t mapped_file;
    bool mapped;
} csv_reader;

static int csv_reader_open(eddy_sql_src_reader *r)
{
    csv_reader *cr = calloc(1, sizeof *cr);
    if (!cr) {
        return EDDY_ERR_NOMEM;
    }
    r->kind = cr;
    cr->map = calloc(r->s->nicols ? r->s->nicols : 1, sizeof *cr->map);
    if (!cr->map || src_fbuf_init(&cr->fb, r->s, r->s->read_size)) {
        return EDDY_ERR_NOMEM;
    }
    return 0;
}

static void csv_reader_close(eddy_sql_src_reader *r)
{
    csv_reader *cr = r->kind;
    src_fbuf_deinit(&cr->fb);
    free(cr->f.v);
    free(cr->map);
    free(cr);
    r->kind = NULL;
}

/* Maps the projected names onto file i's columns. */
static int map_file(eddy_sql_src_reader *r, uint32_t i, char *err, size_t errlen)
{
    csv_reader *cr = r->kind;
    const eddy_sql_src *s = r->s;
    src_names nm = {0};
    eddy_arena_init(&nm.arena, 0, 0);
    int rc = s->opts.csv_header ? file_names(s, i, &nm, err, errlen) : 0;
    for (size_t c = 0; c < s->nicols && !rc; c++) {
        const char *name = s->icols[c].parts[0];
        size_t len = s->icols[c].lens[0];
        cr->map[c] = -1;
        if (s->opts.csv_header) {
            for (size_t k = 0; k < nm.n; k++) {
                if (strlen(nm.v[k]) == len && memcmp(nm.v[k], name, len) == 0) {
                    cr->map[c] = (int32_t)k;
                    break;
                }
            }
        } else if (len > 3 && len < 12 && memcmp(name, "col", 3) == 0 && name[3] != '0') {
            int64_t k = 0;
            size_t j = 3;
            while (j < len && digit(name[j])) {
                k = k * 10 + (name[j++] - '0');
            }
            if (j == len && k <= MAX_FIELDS) {
                cr->map[c] = (int32_t)(k - 1);
            }
        }
    }
    free(nm.v);
    eddy_arena_deinit(&nm.arena);
    cr->mapped = rc == 0;
    cr->mapped_file = i;
    return rc;
}

static int fill_row(eddy_sql_src_reader *r, uint32_t row)
{
    csv_reader *cr = r->kind;
    for (size_t c = 0; c < r->s->nicols; c++) {
        int32_t k = cr->map[c];
        if (k < 0 || (size_t)k >= cr->f.n) {
            continue;
        }
        const field *fd = &cr->f.v[k];
        if (!fd->quoted) {
            put_value(&r->cols[c], row, fd->p, fd->len);
            continue;
        }
        const char *p = fd->p;
        size_t n = fd->len;
        if (fd->doubled) {
            char *d = eddy_arena_alloc(&r->arena, n);
            if (!d) {
                return EDDY_ERR_NOMEM;
            }
            size_t m = 0;
            for (size_t j = 0; j < n; j++) {
                d[m++] = p[j];
                if (p[j] == '"') {
                    j++;
                }
            }
            p = d;
            n = m;
        }
        src_col_put_text(&r->cols[c], row, EDDY_SQL_V_STRING, p, n);
    }
    return 0;
}

static int csv_read(eddy_sql_src_reader *r, uint32_t *nrows, char *err, size_t errlen)
{
    csv_reader *cr = r->kind;
    src_fbuf *fb = &cr->fb;
    const eddy_sql_src *s = r->s;
    uint32_t row = 0;
    int rc = 0;
    while (row < SRC_ROWS) {
        if (!cr->active) {
            if (r->range >= r->range_end) {
                break;
            }
            const src_range *rg = &s->ranges[r->range];
            if (!cr->mapped || cr->mapped_file != rg->file) {
                rc = map_file(r, rg->file, err, errlen);
                if (rc) {
                    break;
                }
            }
            rc = src_fbuf_open(fb, rg->file, rg->start, rg->end, err, errlen);
            if (rc) {
                break;
            }
            cr->active = true;
            cr->header = rg->start == 0 && s->opts.csv_header;
        }
        const src_range *rg = &s->ranges[r->range];
        const char *p = fb->buf + fb->pos, *lim = fb->buf + fb->len;
        uint64_t at = fb->off + fb->pos;
        if (at >= rg->end || (p == lim && fb->eof)) {
            cr->active = false;
            r->range++;
            continue;
        }
        const char *next = NULL, *what = NULL, *wat = NULL;
        int got = 0;
        if (at != 0 || lim - p >= 3 || fb->eof) {
            if (at == 0 && lim - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
                p += 3;
            }
            got = split_record(p, lim, fb->eof, delim_of(s), &cr->f, &next, &what, &wat);
        }
        if (got == 0) {
            if (row > 0) {
                break;
            }
            rc = src_fbuf_more(fb, err, errlen);
            if (rc) {
                break;
            }
            continue;
        }
        if (got < 0) {
            const char *line = fb->buf + fb->pos;
            snprintf(err, errlen, "%s:%llu: %s at byte %llu", s->files[rg->file].path,
                     (unsigned long long)src_line_of(s, rg->file, at), what,
                     (unsigned long long)(wat - line + 1));
            rc = EDDY_ERR_PARSE;
            break;
        }
        fb->pos = (size_t)(next - fb->buf);
        if (cr->header) {
            cr->header = false;
            continue;
        }
        if (blank_record(&cr->f)) {
            continue;
        }
        rc = fill_row(r, row);
        if (rc) {
            snprintf(err, errlen, "out of memory");
            break;
        }
        row++;
    }
    *nrows = row;
    return rc;
}

static void csv_close(eddy_sql_src *s)
{
    (void)s;
}

const src_kind_ops src_csv_ops = {
    .open = csv_open,
    .project = csv_project,
    .ranges = csv_ranges,
    .reader_open = csv_reader_open,
    .read = csv_read,
    .reader_close = csv_reader_close,
    .close = csv_close,
};
