/* Helpers of the SQL source tests (test_sql_src*.c): temp folders and
 * files, projections from dotted strings, and reading every part of a
 * source into a table of values with per-chunk invariants checked. */
#ifndef EDDY_TEST_SQL_SRC_UTIL_H
#define EDDY_TEST_SQL_SRC_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "sql/source.h"
#include "sql/src_int.h"

static char tmp_root[256];

static inline const char *tmp_dir(void)
{
    if (!tmp_root[0]) {
        snprintf(tmp_root, sizeof tmp_root, "/tmp/eddy-sql-src-XXXXXX");
        if (!mkdtemp(tmp_root)) {
            perror("mkdtemp");
            exit(1);
        }
    }
    return tmp_root;
}

static inline void tmp_cleanup(void)
{
    if (tmp_root[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
        if (system(cmd) != 0) {
            fprintf(stderr, "could not remove %s\n", tmp_root);
        }
    }
}

/* Writes n bytes to tmp_dir()/name (folders made); returns the path
 * (static buffer rotated over 8 slots). */
static inline const char *write_file(const char *name, const void *data, size_t n)
{
    static char paths[8][512];
    static int slot;
    char *path = paths[slot++ % 8];
    snprintf(path, 512, "%s/%s", tmp_dir(), name);
    for (char *q = path + strlen(tmp_dir()) + 1; (q = strchr(q, '/')); q++) {
        *q = '\0';
        mkdir(path, 0755);
        *q = '/';
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    return path;
}

static inline const char *write_str(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

/* A projection parsed from "a.b.c" strings (split at '.'). */
typedef struct proj {
    eddy_sql_src_col cols[64];
    const char *parts[64][8];
    uint32_t lens[64][8];
    char store[64][128];
    size_t n;
} proj;

static inline void proj_set(proj *p, const char *const *paths, size_t n)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    for (size_t i = 0; i < n; i++) {
        snprintf(p->store[i], sizeof p->store[i], "%s", paths[i]);
        char *s = p->store[i];
        uint32_t k = 0;
        for (;;) {
            char *dot = strchr(s, '.');
            p->parts[i][k] = s;
            p->lens[i][k] = (uint32_t)(dot ? (size_t)(dot - s) : strlen(s));
            k++;
            if (!dot) {
                break;
            }
            s = dot + 1;
        }
        p->cols[i].parts = p->parts[i];
        p->cols[i].lens = p->lens[i];
        p->cols[i].nparts = k;
    }
}

/* Every row of a source: values (text copied), the vector type each came
 * in and the chunk it came in. */
typedef struct rowset {
    size_t nrows, ncols, cap;
    eddy_sql_value *v;
    eddy_sql_vtype *vt;
    size_t *chunk;
    size_t nchunks;
} rowset;

static inline void rowset_free(rowset *rs)
{
    for (size_t i = 0; i < rs->nrows * rs->ncols; i++) {
        eddy_sql_vtype t = rs->v[i].type;
        if (t == EDDY_SQL_V_STRING || t == EDDY_SQL_V_RECORD || t == EDDY_SQL_V_ARRAY) {
            free((void *)rs->v[i].s.p);
        }
    }
    free(rs->v);
    free(rs->vt);
    free(rs->chunk);
    memset(rs, 0, sizeof *rs);
}

static inline eddy_sql_value vec_value(const eddy_sql_vec *v, uint32_t row)
{
    eddy_sql_value out = {.type = EDDY_SQL_V_NULL};
    if (!eddy_sql_vec_valid(v, row)) {
        return out;
    }
    uint32_t r = v->constant ? 0 : row;
    out.type = v->type;
    switch (v->type) {
    case EDDY_SQL_V_BOOL:
        out.b = v->b[r] != 0;
        break;
    case EDDY_SQL_V_INT:
    case EDDY_SQL_V_TIME:
        out.i = v->i[r];
        break;
    case EDDY_SQL_V_DOUBLE:
        out.d = v->d[r];
        break;
    case EDDY_SQL_V_ANY:
        out = v->any[r];
        break;
    default:
        out.s = v->s[r];
        break;
    }
    return out;
}

/* Reads parts [0, nparts) in order into rs. Returns 0 or the read error
 * (message in err). Checks: every vector has nrows rows; a typed vector's
 * ANY values never appear; ANY rows are never ANY. */
static inline int read_all(eddy_sql_src *s, size_t nparts, rowset *rs, char *err, size_t errlen)
{
    memset(rs, 0, sizeof *rs);
    err[0] = '\0';
    for (size_t part = 0; part < nparts; part++) {
        eddy_sql_src_reader *r;
        int rc = eddy_sql_src_reader_open(s, part, &r);
        if (rc) {
            snprintf(err, errlen, "reader_open: %s", eddy_err_name(rc));
            return rc;
        }
        for (;;) {
            eddy_sql_chunk ch;
            rc = eddy_sql_src_read(r, &ch, err, errlen);
            if (rc) {
                eddy_sql_src_reader_close(r);
                return rc;
            }
            if (ch.nrows == 0) {
                break;
            }
            if (ch.nrows > EDDY_SQL_CHUNK_ROWS) {
                snprintf(err, errlen, "chunk of %u rows", ch.nrows);
                eddy_sql_src_reader_close(r);
                return EDDY_ERR_UNKNOWN;
            }
            rs->ncols = ch.ncols;
            if (rs->nrows + ch.nrows > rs->cap) {
                size_t ncap = (rs->nrows + ch.nrows) * 2;
                size_t cells = ncap * (ch.ncols ? ch.ncols : 1);
                rs->v = realloc(rs->v, cells * sizeof *rs->v);
                rs->vt = realloc(rs->vt, cells * sizeof *rs->vt);
                rs->chunk = realloc(rs->chunk, ncap * sizeof *rs->chunk);
                rs->cap = ncap;
            }
            for (uint32_t c = 0; c < ch.ncols; c++) {
                if (ch.cols[c].n != ch.nrows && ch.cols[c].type != EDDY_SQL_V_NULL) {
                    snprintf(err, errlen, "column %u has %u rows, chunk %u", c, ch.cols[c].n,
                             ch.nrows);
                    eddy_sql_src_reader_close(r);
                    return EDDY_ERR_UNKNOWN;
                }
            }
            for (uint32_t row = 0; row < ch.nrows; row++) {
                size_t at = rs->nrows + row;
                rs->chunk[at] = rs->nchunks;
                for (uint32_t c = 0; c < ch.ncols; c++) {
                    eddy_sql_value v = vec_value(&ch.cols[c], row);
                    if (v.type == EDDY_SQL_V_ANY) {
                        snprintf(err, errlen, "an ANY value tagged ANY");
                        eddy_sql_src_reader_close(r);
                        return EDDY_ERR_UNKNOWN;
                    }
                    if (v.type == EDDY_SQL_V_STRING || v.type == EDDY_SQL_V_RECORD ||
                        v.type == EDDY_SQL_V_ARRAY) {
                        char *copy = malloc(v.s.len + 1);
                        memcpy(copy, v.s.p, v.s.len);
                        copy[v.s.len] = '\0';
                        v.s.p = copy;
                    }
                    rs->v[at * ch.ncols + c] = v;
                    rs->vt[at * ch.ncols + c] = ch.cols[c].type;
                }
            }
            rs->nrows += ch.nrows;
            rs->nchunks++;
        }
        eddy_sql_src_reader_close(r);
    }
    return 0;
}

static inline const eddy_sql_value *cell(const rowset *rs, size_t row, size_t col)
{
    return &rs->v[row * rs->ncols + col];
}

#endif
