/* A small table source for the SQL engine's tests (see sql_testsrc.h). */
#include "sql_testsrc.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "sql/json.h"
#include "sql/value.h"

uint32_t sql_testsrc_chunk_rows = EDDY_SQL_CHUNK_ROWS;
uint32_t sql_testsrc_parts_per_thread = 2;

typedef struct line {
    const char *p;
    uint32_t len;
    uint32_t file;
    uint32_t lineno;
} line;

struct eddy_sql_src {
    eddy_sql_src_opts opts;
    char **files;
    char **texts;
    size_t nfiles;
    line *lines;
    size_t nlines;
    char **names;
    size_t nnames;
    eddy_sql_src_col *cols;
    size_t ncols;
    size_t *csv_index; /* CSV: the field of each projected column, or SIZE_MAX */
    size_t nparts;
};

struct eddy_sql_src_reader {
    eddy_sql_src *s;
    size_t next, end;
    eddy_arena arena;
};

static int read_all(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return eddy_err_from_errno(errno);
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    if (!buf) {
        return EDDY_ERR_NOMEM;
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return 0;
}

static int add_name(eddy_sql_src *s, const char *p, size_t len)
{
    for (size_t i = 0; i < s->nnames; i++) {
        if (strlen(s->names[i]) == len && memcmp(s->names[i], p, len) == 0) {
            return 0;
        }
    }
    char **n = realloc(s->names, sizeof *n * (s->nnames + 1));
    if (!n) {
        return EDDY_ERR_NOMEM;
    }
    s->names = n;
    s->names[s->nnames] = strndup(p, len);
    return s->names[s->nnames++] ? 0 : EDDY_ERR_NOMEM;
}

/* Splits a CSV line into fields (quotes within the line). */
static size_t csv_split(const char *p, size_t len, char delim, eddy_sql_str *f, size_t max,
                        char *scratch, bool *quoted)
{
    size_t n = 0, i = 0, o = 0;
    while (n < max) {
        bool q = i < len && p[i] == '"';
        f[n].p = scratch + o;
        quoted[n] = q;
        if (q) {
            i++;
            while (i < len) {
                if (p[i] == '"' && i + 1 < len && p[i + 1] == '"') {
                    scratch[o++] = '"';
                    i += 2;
                } else if (p[i] == '"') {
                    i++;
                    break;
                } else {
                    scratch[o++] = p[i++];
                }
            }
            while (i < len && p[i] != delim) {
                i++;
            }
        } else {
            while (i < len && p[i] != delim) {
                scratch[o++] = p[i++];
            }
        }
        f[n].len = (uint32_t)(scratch + o - f[n].p);
        n++;
        if (i >= len) {
            break;
        }
        i++; /* the delimiter */
    }
    return n;
}

static int src_open(const eddy_sql_src_opts *opts, eddy_sql_src **out, char *err, size_t errlen)
{
    *out = NULL;
    if (opts->kind != EDDY_SQL_SRC_JSON && opts->kind != EDDY_SQL_SRC_CSV) {
        snprintf(err, errlen, "the test source reads JSON lines and CSV only");
        return EDDY_ERR_UNSUPPORTED;
    }
    eddy_sql_src *s = calloc(1, sizeof *s);
    if (!s) {
        return EDDY_ERR_NOMEM;
    }
    s->opts = *opts;
    glob_t g;
    memset(&g, 0, sizeof g);
    int grc = glob(opts->pattern, 0, NULL, &g);
    if (grc != 0 || g.gl_pathc == 0) {
        globfree(&g);
        free(s);
        snprintf(err, errlen, "no file matches '%s' (no such file or folder)", opts->pattern);
        return EDDY_ERR_NOT_FOUND;
    }
    s->nfiles = g.gl_pathc;
    s->files = calloc(s->nfiles, sizeof *s->files);
    s->texts = calloc(s->nfiles, sizeof *s->texts);
    for (size_t i = 0; i < s->nfiles; i++) {
        s->files[i] = strdup(g.gl_pathv[i]);
    }
    globfree(&g);
    char delim = opts->csv_delim ? opts->csv_delim : ',';
    size_t capl = 0;
    for (size_t fi = 0; fi < s->nfiles; fi++) {
        size_t len = 0;
        int rc = read_all(s->files[fi], &s->texts[fi], &len);
        if (rc) {
            snprintf(err, errlen, "cannot read %s: %s", s->files[fi], eddy_err_str(rc));
            return rc;
        }
        const char *p = s->texts[fi], *end = p + len;
        uint32_t lineno = 0;
        bool header = opts->kind == EDDY_SQL_SRC_CSV && opts->csv_header;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *e = nl ? nl : end;
            lineno++;
            size_t l = (size_t)(e - p);
            if (l && p[l - 1] == '\r') {
                l--;
            }
            bool blank = true;
            for (size_t k = 0; k < l && blank; k++) {
                blank = p[k] == ' ' || p[k] == '\t';
            }
            if (!blank) {
                if (header) {
                    eddy_sql_str f[256];
                    bool q[256];
                    char *scratch = malloc(l + 1);
                    size_t nf = csv_split(p, l, delim, f, 256, scratch, q);
                    for (size_t k = 0; k < nf; k++) {
                        add_name(s, f[k].p, f[k].len);
                    }
                    free(scratch);
                    header = false;
                } else {
                    if (s->nlines == capl) {
                        capl = capl ? capl * 2 : 256;
                        s->lines = realloc(s->lines, sizeof *s->lines * capl);
                    }
                    s->lines[s->nlines++] = (line){p, (uint32_t)l, (uint32_t)fi, lineno};
                    if (opts->kind == EDDY_SQL_SRC_JSON) {
                        size_t pos = 0;
                        eddy_sql_str k, v;
                        int r;
                        while ((r = eddy_sql_json_next(p, l, &pos, &k, &v)) == 1) {
                            char buf[512];
                            long n =
                                k.len < sizeof buf ? eddy_sql_json_unescape(k.p, k.len, buf) : -1;
                            if (n >= 0) {
                                add_name(s, buf, (size_t)n);
                            }
                        }
                    }
                }
            }
            p = nl ? nl + 1 : end;
        }
        if (opts->kind == EDDY_SQL_SRC_CSV && !opts->csv_header && s->nnames == 0 &&
            s->nlines > 0) {
            eddy_sql_str f[256];
            bool q[256];
            char *scratch = malloc(s->lines[0].len + 1);
            size_t nf = csv_split(s->lines[0].p, s->lines[0].len, delim, f, 256, scratch, q);
            free(scratch);
            for (size_t k = 0; k < nf; k++) {
                char nm[32];
                snprintf(nm, sizeof nm, "col%zu", k + 1);
                add_name(s, nm, strlen(nm));
            }
        }
    }
    *out = s;
    return 0;
}

static size_t src_columns(const eddy_sql_src *s, const char *const **names)
{
    *names = (const char *const *)s->names;
    return s->nnames;
}

static int src_project(eddy_sql_src *s, const eddy_sql_src_col *cols, size_t ncols, char *err,
                       size_t errlen)
{
    s->cols = calloc(ncols + 1, sizeof *s->cols);
    s->csv_index = calloc(ncols + 1, sizeof *s->csv_index);
    s->ncols = ncols;
    for (size_t i = 0; i < ncols; i++) {
        eddy_sql_src_col *c = &s->cols[i];
        c->nparts = cols[i].nparts;
        const char **parts = calloc(c->nparts, sizeof *parts);
        uint32_t *lens = calloc(c->nparts, sizeof *lens);
        for (uint32_t k = 0; k < c->nparts; k++) {
            parts[k] = strndup(cols[i].parts[k], cols[i].lens[k]);
            lens[k] = cols[i].lens[k];
        }
        c->parts = parts;
        c->lens = lens;
        if (s->opts.kind == EDDY_SQL_SRC_CSV) {
            if (c->nparts > 1) {
                snprintf(err, errlen, "CSV has no nested fields: '%s.%s'", parts[0], parts[1]);
                return EDDY_ERR_INVALID_ARG;
            }
            s->csv_index[i] = SIZE_MAX;
            for (size_t k = 0; k < s->nnames; k++) {
                if (strcasecmp(s->names[k], parts[0]) == 0) {
                    s->csv_index[i] = k;
                    break;
                }
            }
        }
    }
    return 0;
}

static size_t src_split(eddy_sql_src *s, size_t nthreads)
{
    size_t n = nthreads * sql_testsrc_parts_per_thread;
    if (n > s->nlines) {
        n = s->nlines;
    }
    s->nparts = n;
    return n;
}

static int src_reader_open(eddy_sql_src *s, size_t part, eddy_sql_src_reader **out)
{
    eddy_sql_src_reader *r = calloc(1, sizeof *r);
    if (!r) {
        return EDDY_ERR_NOMEM;
    }
    r->s = s;
    r->next = s->nlines * part / s->nparts;
    r->end = s->nlines * (part + 1) / s->nparts;
    eddy_arena_init(&r->arena, 1 << 16, 0);
    *out = r;
    return 0;
}

static eddy_sql_value csv_value(const char *p, size_t len, bool quoted, eddy_arena *a)
{
    eddy_sql_value v;
    memset(&v, 0, sizeof v);
    if (len == 0 && !quoted) {
        return v;
    }
    if (!quoted && eddy_sql_json_value(p, len, a, &v) == 0 &&
        (v.type == EDDY_SQL_V_INT || v.type == EDDY_SQL_V_DOUBLE)) {
        return v;
    }
    v.type = EDDY_SQL_V_STRING;
    v.s.p = eddy_arena_memdup(a, p, len ? len : 1);
    v.s.len = (uint32_t)len;
    return v;
}

static int src_read(eddy_sql_src_reader *r, eddy_sql_chunk *chunk, char *err, size_t errlen)
{
    eddy_sql_src *s = r->s;
    eddy_arena_reset(&r->arena);
    size_t n = r->end - r->next;
    if (n > sql_testsrc_chunk_rows) {
        n = sql_testsrc_chunk_rows;
    }
    chunk->nrows = (uint32_t)n;
    chunk->ncols = (uint32_t)s->ncols;
    chunk->arena = &r->arena;
    chunk->cols = eddy_arena_calloc(&r->arena, s->ncols + 1, sizeof *chunk->cols);
    eddy_sql_value *vals = eddy_arena_calloc(&r->arena, (s->ncols + 1) * (n + 1), sizeof *vals);
    if (!chunk->cols || !vals) {
        return EDDY_ERR_NOMEM;
    }
    char delim = s->opts.csv_delim ? s->opts.csv_delim : ',';
    for (size_t i = 0; i < n; i++) {
        const line *ln = &s->lines[r->next + i];
        if (s->opts.kind == EDDY_SQL_SRC_CSV) {
            eddy_sql_str f[256];
            bool q[256];
            char *scratch = eddy_arena_alloc(&r->arena, ln->len + 1);
            size_t nf = csv_split(ln->p, ln->len, delim, f, 256, scratch, q);
            for (size_t c = 0; c < s->ncols; c++) {
                size_t k = s->csv_index[c];
                if (k < nf) {
                    vals[c * n + i] = csv_value(f[k].p, f[k].len, q[k], &r->arena);
                }
            }
            continue;
        }
        eddy_sql_value top;
        if (eddy_sql_json_value(ln->p, ln->len, &r->arena, &top) != 0 ||
            top.type != EDDY_SQL_V_RECORD) {
            snprintf(err, errlen, "%s:%u: not a JSON object", s->files[ln->file], ln->lineno);
            return EDDY_ERR_PARSE;
        }
        for (size_t c = 0; c < s->ncols; c++) {
            const eddy_sql_src_col *col = &s->cols[c];
            eddy_sql_value v = top;
            for (uint32_t k = 0; k < col->nparts && v.type != EDDY_SQL_V_NULL; k++) {
                eddy_sql_str m;
                if (v.type != EDDY_SQL_V_RECORD ||
                    eddy_sql_json_member(v.s.p, v.s.len, col->parts[k], col->lens[k], &m) != 1 ||
                    eddy_sql_json_value(m.p, m.len, &r->arena, &v) != 0) {
                    memset(&v, 0, sizeof v);
                }
            }
            vals[c * n + i] = v;
        }
    }
    for (size_t c = 0; c < s->ncols; c++) {
        eddy_sql_vtype t = EDDY_SQL_V_NULL;
        bool mixed = false;
        for (size_t i = 0; i < n; i++) {
            eddy_sql_vtype vt = vals[c * n + i].type;
            if (vt == EDDY_SQL_V_NULL) {
                continue;
            }
            if (t == EDDY_SQL_V_NULL) {
                t = vt;
            } else if (t != vt) {
                if ((t == EDDY_SQL_V_INT && vt == EDDY_SQL_V_DOUBLE) ||
                    (t == EDDY_SQL_V_DOUBLE && vt == EDDY_SQL_V_INT)) {
                    t = EDDY_SQL_V_DOUBLE;
                } else {
                    mixed = true;
                }
            }
        }
        if (mixed) {
            t = EDDY_SQL_V_ANY;
        }
        eddy_sql_vec *v = &chunk->cols[c];
        if (t == EDDY_SQL_V_NULL) {
            v->type = EDDY_SQL_V_NULL;
            v->n = (uint32_t)n;
            continue;
        }
        if (eddy_sql_vec_alloc(v, &r->arena, t, (uint32_t)n) != 0) {
            return EDDY_ERR_NOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            eddy_sql_value x = vals[c * n + i];
            if (t == EDDY_SQL_V_DOUBLE && x.type == EDDY_SQL_V_INT) {
                x.type = EDDY_SQL_V_DOUBLE;
                x.d = (double)vals[c * n + i].i;
            }
            eddy_sql_vec_set(v, (uint32_t)i, &x);
        }
    }
    r->next += n;
    return 0;
}

static void src_reader_close(eddy_sql_src_reader *r)
{
    if (r) {
        eddy_arena_deinit(&r->arena);
        free(r);
    }
}

static void src_close(eddy_sql_src *s)
{
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->nfiles; i++) {
        free(s->files[i]);
        free(s->texts[i]);
    }
    for (size_t i = 0; i < s->nnames; i++) {
        free(s->names[i]);
    }
    for (size_t i = 0; i < s->ncols; i++) {
        for (uint32_t k = 0; k < s->cols[i].nparts; k++) {
            free((char *)s->cols[i].parts[k]);
        }
        free((void *)s->cols[i].parts);
        free((void *)s->cols[i].lens);
    }
    free(s->cols);
    free(s->csv_index);
    free(s->names);
    free(s->files);
    free(s->texts);
    free(s->lines);
    free(s);
}

const eddy_sql_src_api sql_testsrc_api = {
    .open = src_open,
    .columns = src_columns,
    .project = src_project,
    .split = src_split,
    .reader_open = src_reader_open,
    .read = src_read,
    .reader_close = src_reader_close,
    .close = src_close,
};
