/* Output sinks: table, jsonl, csv (see output.h). */
#include "sql/output.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "sql/value.h"

typedef struct cell {
    const char *p;
    uint32_t len;
    uint32_t width; /* characters */
    bool right;     /* numbers align right */
} cell;

typedef struct out {
    eddy_sql_sink base;
    eddy_sql_out_format fmt;
    FILE *fp;
    eddy_buf *buf;
    uint32_t ncols;
    const char *const *names;
    eddy_buf *keys; /* jsonl: "name": per column */
    atomic_uint_fast64_t rows;
    /* table */
    eddy_arena arena;
    cell *cells;
    size_t ncells, capcells;
} out;

int eddy_sql_out_format_parse(const char *name, eddy_sql_out_format *fmt)
{
    if (strcmp(name, "table") == 0) {
        *fmt = EDDY_SQL_OUT_TABLE;
    } else if (strcmp(name, "jsonl") == 0 || strcmp(name, "json") == 0) {
        *fmt = EDDY_SQL_OUT_JSONL;
    } else if (strcmp(name, "csv") == 0) {
        *fmt = EDDY_SQL_OUT_CSV;
    } else {
        return -1;
    }
    return 0;
}

static int out_write(eddy_sql_sink *s, const uint8_t *p, size_t n)
{
    out *o = (out *)s;
    if (o->fp) {
        if (fwrite(p, 1, n, o->fp) != n) {
            snprintf(s->msg, sizeof s->msg, "cannot write the output: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    if (eddy_buf_append(o->buf, p, n) != 0) {
        snprintf(s->msg, sizeof s->msg, "out of memory");
        return -1;
    }
    return 0;
}

/* The bytes that make a CSV field need quotes. */
static const uint8_t csv_special[256] = {['\n'] = 1, ['\r'] = 1, ['"'] = 1, [','] = 1};

static void csv_field(eddy_buf *b, const char *p, size_t len, bool force)
{
    bool quote = force;
    const uint8_t *u = (const uint8_t *)p;
    size_t i = 0;
    for (; !quote && i + 4 <= len; i += 4) {
        quote = csv_special[u[i]] | csv_special[u[i + 1]] | csv_special[u[i + 2]] |
                csv_special[u[i + 3]];
    }
    for (; i < len && !quote; i++) {
        quote = csv_special[u[i]];
    }
    if (!quote) {
        eddy_buf_append(b, p, len);
        return;
    }
    eddy_buf_put_u8(b, '"');
    size_t start = 0;
    for (size_t k = 0; k < len; k++) {
        if (p[k] == '"') {
            eddy_buf_append(b, p + start, k + 1 - start);
            eddy_buf_put_u8(b, '"');
            start = k + 1;
        }
    }
    eddy_buf_append(b, p + start, len - start);
    eddy_buf_put_u8(b, '"');
}

static int out_start(eddy_sql_sink *s, const char *const *names, const eddy_sql_vtype *types,
                     uint32_t ncols)
{
    out *o = (out *)s;
    o->names = names;
    o->ncols = ncols;
    if (o->fmt == EDDY_SQL_OUT_JSONL) {
        o->keys = calloc(ncols + 1, sizeof *o->keys);
        if (!o->keys) {
            snprintf(s->msg, sizeof s->msg, "out of memory");
            return -1;
        }
        for (uint32_t j = 0; j < ncols; j++) {
            eddy_buf_init(&o->keys[j], 0);
            eddy_buf_put_u8(&o->keys[j], j ? ',' : '{');
            eddy_sql_json_put_str(&o->keys[j], names[j], strlen(names[j]));
            eddy_buf_put_u8(&o->keys[j], ':');
        }
        return 0;
    }
    if (o->fmt == EDDY_SQL_OUT_CSV) {
        eddy_buf b;
        eddy_buf_init(&b, 0);
        for (uint32_t j = 0; j < ncols; j++) {
            if (j) {
                eddy_buf_put_u8(&b, ',');
            }
            csv_field(&b, names[j], strlen(names[j]), false);
        }
        eddy_buf_put_u8(&b, '\n');
        int rc = b.err ? -1 : out_write(s, b.data, b.len);
        eddy_buf_deinit(&b);
        return rc;
    }
    return 0;
}

static int out_format(const eddy_sql_sink *s, const eddy_sql_chunk *c, eddy_buf *b)
{
    out *o = (out *)s;
    uint32_t nc = o->ncols < c->ncols ? o->ncols : c->ncols;
    for (uint32_t r = 0; r < c->nrows; r++) {
        if (o->fmt == EDDY_SQL_OUT_JSONL) {
            if (nc == 0) {
                eddy_buf_put_u8(b, '{');
            }
            for (uint32_t j = 0; j < nc; j++) {
                eddy_buf_append(b, o->keys[j].data, o->keys[j].len);
                eddy_sql_value v = eddy_sql_vec_get(&c->cols[j], r);
                eddy_sql_value_json(b, &v);
            }
            eddy_buf_append(b, "}\n", 2);
        } else {
            for (uint32_t j = 0; j < nc; j++) {
                if (j) {
                    eddy_buf_put_u8(b, ',');
                }
                const eddy_sql_vec *vec = &c->cols[j];
                uint32_t at = vec->constant ? 0 : r;
                bool valid = vec->type != EDDY_SQL_V_NULL && (!vec->valid || vec->valid[at]);
                /* the common types without a detour through a value */
                if (valid && vec->type == EDDY_SQL_V_INT) {
                    uint8_t *dst = eddy_buf_extend(b, 20);
                    if (dst) {
                        b->len -= 20 - eddy_sql_int_format(vec->i[at], (char *)dst);
                    }
                    continue;
                }
                if (valid && vec->type == EDDY_SQL_V_STRING) {
                    csv_field(b, vec->s[at].p, vec->s[at].len, vec->s[at].len == 0);
                    continue;
                }
                eddy_sql_value v = eddy_sql_vec_get(vec, r);
                switch (v.type) {
                case EDDY_SQL_V_NULL:
                    break;
                case EDDY_SQL_V_STRING:
                    csv_field(b, v.s.p, v.s.len, v.s.len == 0);
                    break;
                case EDDY_SQL_V_TIME: {
                    char t[40];
                    size_t n = eddy_sql_time_format(v.i, t);
                    eddy_buf_append(b, t, n);
                    break;
                }
                case EDDY_SQL_V_RECORD:
                case EDDY_SQL_V_ARRAY:
                    csv_field(b, v.s.p, v.s.len, false);
                    break;
                default:
                    eddy_sql_value_json(b, &v);
                    break;
                }
            }
            eddy_buf_put_u8(b, '\n');
        }
    }
    atomic_fetch_add(&o->rows, c->nrows);
    return b->err ? -1 : 0;
}

static uint32_t utf8_width(const char *p, size_t len)
{
    uint32_t w = 0;
    for (size_t i = 0; i < len; i++) {
        w += ((unsigned char)p[i] & 0xC0) != 0x80;
    }
    return w;
}

static int out_add(eddy_sql_sink *s, const eddy_sql_chunk *c)
{
    out *o = (out *)s;
    uint32_t nc = o->ncols < c->ncols ? o->ncols : c->ncols;
    eddy_buf b;
    eddy_buf_init(&b, 0);
    for (uint32_t r = 0; r < c->nrows; r++) {
        if (o->ncells + o->ncols > o->capcells) {
            size_t ncap = o->capcells ? o->capcells * 2 : 1024;
            while (ncap < o->ncells + o->ncols) {
                ncap *= 2;
            }
            cell *n = realloc(o->cells, sizeof *n * ncap);
            if (!n) {
                eddy_buf_deinit(&b);
                snprintf(s->msg, sizeof s->msg, "out of memory");
                return -1;
            }
            o->cells = n;
            o->capcells = ncap;
        }
        for (uint32_t j = 0; j < o->ncols; j++) {
            cell *ce = &o->cells[o->ncells++];
            eddy_sql_value v = j < nc ? eddy_sql_vec_get(&c->cols[j], r)
                                      : (eddy_sql_value){.type = EDDY_SQL_V_NULL};
            eddy_buf_reset(&b);
            if (v.type == EDDY_SQL_V_NULL) {
                eddy_buf_append(&b, "NULL", 4);
            } else {
                eddy_sql_value_text(&b, &v);
                if (v.type == EDDY_SQL_V_BOOL) {
                    eddy_buf_reset(&b);
                    eddy_buf_append(&b, v.b ? "true" : "false", v.b ? 4 : 5);
                }
            }
            /* control characters would break the layout */
            for (size_t i = 0; i < b.len; i++) {
                if (b.data[i] < 0x20) {
                    b.data[i] = ' ';
                }
            }
            char *p = b.err ? NULL
                            : eddy_arena_memdup(&o->arena, b.data ? (void *)b.data : "",
                                                b.len ? b.len : 1);
            if (!p) {
                eddy_buf_deinit(&b);
                snprintf(s->msg, sizeof s->msg, "out of memory");
                return -1;
            }
            ce->p = p;
            ce->len = (uint32_t)b.len;
            ce->width = utf8_width(p, b.len);
            ce->right = v.type == EDDY_SQL_V_INT || v.type == EDDY_SQL_V_DOUBLE;
        }
    }
    eddy_buf_deinit(&b);
    atomic_fetch_add(&o->rows, c->nrows);
    return 0;
}

static void pad(eddy_buf *b, uint32_t n)
{
    uint8_t *p = eddy_buf_extend(b, n);
    if (p) {
        memset(p, ' ', n);
    }
}

static int out_end(eddy_sql_sink *s)
{
    out *o = (out *)s;
    if (o->fmt != EDDY_SQL_OUT_TABLE) {
        if (o->fp && fflush(o->fp) != 0) {
            snprintf(s->msg, sizeof s->msg, "cannot write the output: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    uint32_t *w = calloc(o->ncols + 1, sizeof *w);
    if (!w) {
        snprintf(s->msg, sizeof s->msg, "out of memory");
        return -1;
    }
    size_t nrows = o->ncols ? o->ncells / o->ncols : 0;
    for (uint32_t j = 0; j < o->ncols; j++) {
        w[j] = utf8_width(o->names[j], strlen(o->names[j]));
    }
    for (size_t i = 0; i < o->ncells; i++) {
        uint32_t j = (uint32_t)(i % o->ncols);
        if (o->cells[i].width > w[j]) {
            w[j] = o->cells[i].width;
        }
    }
    eddy_buf b;
    eddy_buf_init(&b, 0);
    for (uint32_t j = 0; j < o->ncols; j++) {
        if (j) {
            eddy_buf_append(&b, "  ", 2);
        }
        uint32_t nw = utf8_width(o->names[j], strlen(o->names[j]));
        eddy_buf_append(&b, o->names[j], strlen(o->names[j]));
        if (j + 1 < o->ncols) {
            pad(&b, w[j] - nw);
        }
    }
    eddy_buf_put_u8(&b, '\n');
    for (uint32_t j = 0; j < o->ncols; j++) {
        if (j) {
            eddy_buf_append(&b, "  ", 2);
        }
        uint8_t *p = eddy_buf_extend(&b, w[j]);
        if (p) {
            memset(p, '-', w[j]);
        }
    }
    eddy_buf_put_u8(&b, '\n');
    for (size_t r = 0; r < nrows; r++) {
        for (uint32_t j = 0; j < o->ncols; j++) {
            const cell *ce = &o->cells[r * o->ncols + j];
            if (j) {
                eddy_buf_append(&b, "  ", 2);
            }
            if (ce->right) {
                pad(&b, w[j] - ce->width);
                eddy_buf_append(&b, ce->p, ce->len);
            } else {
                eddy_buf_append(&b, ce->p, ce->len);
                if (j + 1 < o->ncols) {
                    pad(&b, w[j] - ce->width);
                }
            }
        }
        eddy_buf_put_u8(&b, '\n');
        if (b.len > (1 << 20)) {
            if (b.err || out_write(s, b.data, b.len) != 0) {
                break;
            }
            eddy_buf_reset(&b);
        }
    }
    char tail[64];
    int n = snprintf(tail, sizeof tail, "(%zu row%s)\n", nrows, nrows == 1 ? "" : "s");
    eddy_buf_append(&b, tail, (size_t)n);
    int rc = b.err ? -1 : out_write(s, b.data, b.len);
    eddy_buf_deinit(&b);
    free(w);
    if (rc == 0 && o->fp && fflush(o->fp) != 0) {
        snprintf(s->msg, sizeof s->msg, "cannot write the output: %s", strerror(errno));
        return -1;
    }
    return rc;
}

eddy_sql_sink *eddy_sql_out_new(eddy_sql_out_format fmt, FILE *fp, eddy_buf *buf)
{
    out *o = calloc(1, sizeof *o);
    if (!o) {
        return NULL;
    }
    o->fmt = fmt;
    o->fp = fp;
    o->buf = buf;
    atomic_init(&o->rows, 0);
    eddy_arena_init(&o->arena, 1 << 16, 0);
    o->base.start = out_start;
    o->base.write = out_write;
    o->base.end = out_end;
    if (fmt == EDDY_SQL_OUT_TABLE) {
        o->base.add = out_add;
    } else {
        o->base.format = out_format;
    }
    return &o->base;
}

uint64_t eddy_sql_out_rows(const eddy_sql_sink *s)
{
    return atomic_load(&((const out *)s)->rows);
}

void eddy_sql_out_free(eddy_sql_sink *s)
{
    if (!s) {
        return;
    }
    out *o = (out *)s;
    if (o->keys) {
        for (uint32_t j = 0; j < o->ncols; j++) {
            eddy_buf_deinit(&o->keys[j]);
        }
        free(o->keys);
    }
    free(o->cells);
    eddy_arena_deinit(&o->arena);
    free(o);
}
