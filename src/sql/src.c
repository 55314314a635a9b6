/* Table sources (source.h): the parts every format shares. open lists the
 * files and lets the format read what it needs up front; project keeps
 * each distinct path once (the executor may ask for one twice); split cuts
 * the files into byte ranges (JSON lines and CSV; whole files for Avro and
 * the lake) and groups consecutive ranges into parts of about equal bytes,
 * about four per thread so that threads finishing early find more work;
 * a reader walks its part's ranges and turns the format's column builders
 * into the chunk's vectors, in the executor's order. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "sql/src_int.h"

/* Past a range's end, a reader reads in steps of this much to finish its
 * last line. */
#define TAIL_READ ((size_t)64 << 10)

static const src_kind_ops *ops_of(eddy_sql_src_kind kind)
{
    switch (kind) {
    case EDDY_SQL_SRC_JSON:
        return &src_json_ops;
    case EDDY_SQL_SRC_CSV:
        return &src_csv_ops;
    case EDDY_SQL_SRC_AVRO:
        return &src_avro_ops;
    case EDDY_SQL_SRC_LAKE:
        return &src_lake_ops;
    case EDDY_SQL_SRC_HUB:
        return &src_hub_ops;
    }
    return NULL;
}

/* The partition folder of a capture path .../{p}/YYYY/MM/DD/hh/mm/ss.avro,
 * or -1. */
static int64_t lake_partition(const char *path)
{
    static const size_t widths[] = {2, 2, 2, 2, 2, 4};
    const char *end = path + strlen(path);
    if (end - path < 5 || memcmp(end - 5, ".avro", 5) != 0) {
        return -1;
    }
    const char *q = end - 5; /* end of the current component */
    for (int i = 0; i < 7; i++) {
        const char *s = q;
        while (s > path && s[-1] != '/') {
            s--;
        }
        size_t n = (size_t)(q - s);
        if (n == 0 || n > 18 || (i < 6 && n != widths[i])) {
            return -1;
        }
        int64_t v = 0;
        for (const char *c = s; c < q; c++) {
            if (*c < '0' || *c > '9') {
                return -1;
            }
            v = v * 10 + (*c - '0');
        }
        if (i == 6) {
            return v;
        }
        if (s == path) {
            return -1;
        }
        q = s - 1;
    }
    return -1;
}

static int src_new(const eddy_sql_src_opts *opts, eddy_sql_src **out, char *err, size_t errlen)
{
    *out = NULL;
    const src_kind_ops *ops = ops_of(opts->kind);
    if (!ops) {
        snprintf(err, errlen, "unknown source kind %d", (int)opts->kind);
        return EDDY_ERR_INVALID_ARG;
    }
    eddy_sql_src *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    s->opts = *opts;
    s->ops = ops;
    s->pattern = strdup(opts->pattern ? opts->pattern : "");
    s->read_size = SRC_READ_SIZE;
    eddy_arena_init(&s->names.arena, 0, 0);
    eddy_arena_init(&s->parena, 0, 0);
    if (!s->pattern) {
        eddy_sql_src_close(s);
        snprintf(err, errlen, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    s->opts.pattern = s->pattern;
    *out = s;
    return 0;
}

int eddy_sql_src_open(const eddy_sql_src_opts *opts, eddy_sql_src **out, char *err, size_t errlen)
{
    eddy_sql_src *s;
    int rc = src_new(opts, &s, err, errlen);
    if (rc) {
        return rc;
    }
    /* a hub has no files: its events come from the stream driver */
    rc = opts->kind == EDDY_SQL_SRC_HUB
             ? 0
             : src_files_list(s->pattern, opts->kind == EDDY_SQL_SRC_LAKE, &s->files, &s->nfiles,
                              err, errlen);
    if (rc) {
        eddy_sql_src_close(s);
        return rc;
    }
    for (size_t i = 0; i < s->nfiles; i++) {
        s->files[i].partition = lake_partition(s->files[i].path);
    }
    rc = s->ops->open(s, err, errlen);
    if (rc) {
        eddy_sql_src_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

int eddy_sql_src_open_mem(const eddy_sql_src_opts *opts, const char *name, const void *data,
                          size_t len, eddy_sql_src **out, char *err, size_t errlen)
{
    if (opts->kind != EDDY_SQL_SRC_JSON && opts->kind != EDDY_SQL_SRC_CSV) {
        snprintf(err, errlen, "only JSON lines and CSV sources read from memory");
        return EDDY_ERR_INVALID_ARG;
    }
    eddy_sql_src_opts o = *opts;
    o.pattern = name;
    eddy_sql_src *s;
    int rc = src_new(&o, &s, err, errlen);
    if (rc) {
        return rc;
    }
    s->mem = data ? data : (const void *)"";
    s->memlen = len;
    s->files = calloc(1, sizeof *s->files);
    if (!s->files || !(s->files[0].path = strdup(s->pattern))) {
        free(s->files);
        s->files = NULL;
        eddy_sql_src_close(s);
        snprintf(err, errlen, "out of memory");
        return EDDY_ERR_NOMEM;
    }
    s->nfiles = 1;
    s->files[0].size = len;
    s->files[0].partition = -1;
    rc = s->ops->open(s, err, errlen);
    if (rc) {
        eddy_sql_src_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

size_t eddy_sql_src_columns(const eddy_sql_src *s, const char *const **names)
{
    *names = (const char *const *)s->names.v;
    return s->names.n;
}

int src_project_body(eddy_sql_src *s, int (*fixed_of)(const char *name, size_t len), int8_t **fixed,
                     char *err, size_t errlen)
{
    free(*fixed);
    *fixed = malloc(s->nicols ? s->nicols : 1);
    eddy_sql_src_col *body = calloc(s->nicols ? s->nicols : 1, sizeof *body);
    uint32_t *ids = calloc(s->nicols ? s->nicols : 1, sizeof *ids);
    int rc = 0;
    if (!*fixed || !body || !ids) {
        rc = EDDY_ERR_NOMEM;
        goto out;
    }
    size_t nbody = 0;
    for (size_t i = 0; i < s->nicols; i++) {
        const eddy_sql_src_col *c = &s->icols[i];
        int f = fixed_of(c->parts[0], c->lens[0]);
        (*fixed)[i] = (int8_t)(f >= 0 && c->nparts == 1 ? f : -1);
        if (f < 0) {
            body[nbody] = *c;
            ids[nbody++] = (uint32_t)i;
        }
    }
    rc = src_ptrie_build(&s->trie, body, ids, nbody);
out:
    free(body);
    free(ids);
    if (rc) {
        snprintf(err, errlen, "out of memory");
    }
    return rc;
}

int src_sample_key(void *arg, const char *key, size_t len)
{
    src_sample *c = arg;
    if (eddy_map_has(&c->seen, key, len)) {
        return 0;
    }
    if (eddy_map_put(&c->seen, key, len, NULL, NULL) || src_names_add(c->names, key, len)) {
        c->err = EDDY_ERR_NOMEM;
        return -1;
    }
    return 0;
}

int src_names_add(src_names *nm, const char *name, size_t len)
{
    if (nm->n == nm->cap) {
        size_t ncap = nm->cap ? nm->cap * 2 : 16;
        char **nv = realloc(nm->v, ncap * sizeof *nv);
        if (!nv) {
            return EDDY_ERR_NOMEM;
        }
        nm->v = nv;
        nm->cap = ncap;
    }
    char *c = eddy_arena_strndup(&nm->arena, name, len);
    if (!c) {
        return EDDY_ERR_NOMEM;
    }
    nm->v[nm->n++] = c;
    return 0;
}

static bool same_path(const eddy_sql_src_col *a, const eddy_sql_src_col *b)
{
    if (a->nparts != b->nparts) {
        return false;
    }
    for (uint32_t i = 0; i < a->nparts; i++) {
        if (a->lens[i] != b->lens[i] || memcmp(a->parts[i], b->parts[i], a->lens[i]) != 0) {
            return false;
        }
    }
    return true;
}

static void unproject(eddy_sql_src *s)
{
    src_ptrie_free(&s->trie);
    eddy_arena_reset(&s->parena);
    free(s->colmap);
    free(s->icols);
    s->colmap = NULL;
    s->icols = NULL;
    s->ncols = s->nicols = 0;
    s->projected = false;
}

int eddy_sql_src_project(eddy_sql_src *s, const eddy_sql_src_col *cols, size_t ncols, char *err,
                         size_t errlen)
{
    unproject(s);
    s->colmap = calloc(ncols ? ncols : 1, sizeof *s->colmap);
    s->icols = calloc(ncols ? ncols : 1, sizeof *s->icols);
    if (!s->colmap || !s->icols) {
        goto nomem;
    }
    for (size_t i = 0; i < ncols; i++) {
        const eddy_sql_src_col *c = &cols[i];
        if (c->nparts == 0 || c->nparts > 64) {
            snprintf(err, errlen, "column %zu: a path of %u names", i + 1, c->nparts);
            unproject(s);
            return EDDY_ERR_INVALID_ARG;
        }
        size_t j = 0;
        while (j < s->nicols && !same_path(&s->icols[j], c)) {
            j++;
        }
        s->colmap[i] = (uint32_t)j;
        if (j < s->nicols) {
            continue;
        }
        eddy_sql_src_col *d = &s->icols[s->nicols];
        const char **parts = eddy_arena_alloc(&s->parena, c->nparts * sizeof *parts);
        uint32_t *lens = eddy_arena_alloc(&s->parena, c->nparts * sizeof *lens);
        if (!parts || !lens) {
            goto nomem;
        }
        for (uint32_t k = 0; k < c->nparts; k++) {
            parts[k] = eddy_arena_strndup(&s->parena, c->parts[k], c->lens[k]);
            lens[k] = c->lens[k];
            if (!parts[k]) {
                goto nomem;
            }
        }
        d->parts = parts;
        d->lens = lens;
        d->nparts = c->nparts;
        s->nicols++;
    }
    s->ncols = ncols;
    int rc = s->ops->project(s, err, errlen);
    if (rc) {
        unproject(s);
        return rc;
    }
    s->projected = true;
    return 0;
nomem:
    unproject(s);
    snprintf(err, errlen, "out of memory");
    return EDDY_ERR_NOMEM;
}

int src_add_range(eddy_sql_src *s, uint32_t file, uint64_t start, uint64_t end)
{
    if ((s->nranges & (s->nranges - 1)) == 0) {
        size_t ncap = s->nranges ? s->nranges * 2 : 16;
        src_range *nv = realloc(s->ranges, ncap * sizeof *nv);
        if (!nv) {
            return EDDY_ERR_NOMEM;
        }
        s->ranges = nv;
    }
    s->ranges[s->nranges++] = (src_range){file, start, end};
    return 0;
}

static size_t split(eddy_sql_src *s, uint64_t part_bytes)
{
    char err[128];
    if (!s->projected && eddy_sql_src_project(s, NULL, 0, err, sizeof err)) {
        return 0;
    }
    free(s->ranges);
    free(s->parts);
    s->ranges = NULL;
    s->parts = NULL;
    s->nranges = s->nparts = 0;
    if (s->ops->ranges) {
        if (s->ops->ranges(s, part_bytes)) {
            return 0;
        }
    } else {
        for (size_t i = 0; i < s->nfiles; i++) {
            if (src_add_range(s, (uint32_t)i, 0, s->files[i].size)) {
                return 0;
            }
        }
    }
    s->parts = calloc(s->nranges ? s->nranges : 1, sizeof *s->parts);
    if (!s->parts) {
        return 0;
    }
    uint64_t acc = 0;
    for (size_t i = 0; i < s->nranges; i++) {
        if (s->nparts == 0 || acc >= part_bytes) {
            s->parts[s->nparts++] = (src_part){(uint32_t)i, 0};
            acc = 0;
        }
        s->parts[s->nparts - 1].count++;
        acc += s->ranges[i].end - s->ranges[i].start;
    }
    return s->nparts;
}

size_t eddy_sql_src_split(eddy_sql_src *s, size_t nthreads)
{
    uint64_t total = 0;
    for (size_t i = 0; i < s->nfiles; i++) {
        total += s->files[i].size;
    }
    uint64_t part = total / ((nthreads ? nthreads : 1) * 4);
    return split(s, part < SRC_MIN_PART ? SRC_MIN_PART : part);
}

size_t eddy_sql_src_split_bytes(eddy_sql_src *s, uint64_t part_bytes, size_t read_size)
{
    s->read_size = read_size ? read_size : SRC_READ_SIZE;
    return split(s, part_bytes ? part_bytes : 1);
}

int src_reader_new(eddy_sql_src *s, uint32_t first, uint32_t count, eddy_sql_src_reader **out)
{
    *out = NULL;
    eddy_sql_src_reader *r = calloc(1, sizeof *r);
    if (!r) {
        return EDDY_ERR_NOMEM;
    }
    r->s = s;
    r->range = first;
    r->range_end = first + count;
    eddy_arena_init(&r->arena, 0, 0);
    r->cols = calloc(s->nicols ? s->nicols : 1, sizeof *r->cols);
    r->vecs = calloc(s->ncols ? s->ncols : 1, sizeof *r->vecs);
    int rc = r->cols && r->vecs ? 0 : EDDY_ERR_NOMEM;
    for (size_t i = 0; i < s->nicols && !rc; i++) {
        rc = src_col_init(&r->cols[i]);
    }
    if (!rc) {
        rc = s->ops->reader_open(r);
    }
    if (rc) {
        eddy_sql_src_reader_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

int eddy_sql_src_reader_open(eddy_sql_src *s, size_t part, eddy_sql_src_reader **out)
{
    *out = NULL;
    if (part >= s->nparts) {
        return EDDY_ERR_INVALID_ARG;
    }
    return src_reader_new(s, s->parts[part].first, s->parts[part].count, out);
}

void src_reader_begin(eddy_sql_src_reader *r)
{
    eddy_arena_reset(&r->arena);
    for (size_t i = 0; i < r->s->nicols; i++) {
        src_col_clear(&r->cols[i]);
    }
}

int src_reader_end(eddy_sql_src_reader *r, uint32_t nrows, eddy_sql_chunk *chunk, char *err,
                   size_t errlen)
{
    const eddy_sql_src *s = r->s;
    memset(chunk, 0, sizeof *chunk);
    for (size_t i = 0; i < s->nicols; i++) {
        if (r->cols[i].oom) {
            snprintf(err, errlen, "out of memory");
            return EDDY_ERR_NOMEM;
        }
    }
    eddy_sql_vec *ivecs = r->vecs; /* the first nicols hold the distinct columns */
    for (size_t i = s->nicols; i-- > 0;) {
        src_col_finish(&r->cols[i], nrows, &ivecs[i]);
    }
    /* Spread into the executor's order, back to front (colmap[i] <= i). */
    for (size_t i = s->ncols; i-- > 0;) {
        ivecs[i] = ivecs[s->colmap[i]];
    }
    chunk->nrows = nrows;
    chunk->ncols = (uint32_t)s->ncols;
    chunk->cols = r->vecs;
    chunk->arena = &r->arena;
    return 0;
}

int eddy_sql_src_read(eddy_sql_src_reader *r, eddy_sql_chunk *chunk, char *err, size_t errlen)
{
    src_reader_begin(r);
    uint32_t nrows = 0;
    int rc = r->s->ops->read(r, &nrows, err, errlen);
    if (rc) {
        memset(chunk, 0, sizeof *chunk);
        return rc;
    }
    return src_reader_end(r, nrows, chunk, err, errlen);
}

void eddy_sql_src_reader_close(eddy_sql_src_reader *r)
{
    if (!r) {
        return;
    }
    if (r->kind) {
        r->s->ops->reader_close(r);
    }
    if (r->cols) {
        for (size_t i = 0; i < r->s->nicols; i++) {
            src_col_deinit(&r->cols[i]);
        }
    }
    free(r->cols);
    free(r->vecs);
    eddy_arena_deinit(&r->arena);
    free(r);
}

void eddy_sql_src_close(eddy_sql_src *s)
{
    if (!s) {
        return;
    }
    if (s->kind) {
        s->ops->close(s);
    }
    unproject(s);
    free(s->ranges);
    free(s->parts);
    src_files_free(s->files, s->nfiles);
    free(s->names.v);
    eddy_arena_deinit(&s->names.arena);
    eddy_arena_deinit(&s->parena);
    free(s->pattern);
    free(s);
}

/* ---- file access ------------------------------------------------------ */

int src_open_file(const eddy_sql_src *s, uint32_t i, char *err, size_t errlen)
{
    if (s->mem) {
        return -2;
    }
    int fd = open(s->files[i].path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", s->files[i].path, strerror(errno));
        return -1;
    }
    return fd;
}

ptrdiff_t src_pread(const eddy_sql_src *s, int fd, void *dst, size_t n, uint64_t off)
{
    if (s->mem) {
        if (off >= s->memlen) {
            return 0;
        }
        size_t m = s->memlen - off < n ? (size_t)(s->memlen - off) : n;
        memcpy(dst, s->mem + off, m);
        return (ptrdiff_t)m;
    }
    for (;;) {
        ssize_t got = pread(fd, dst, n, (off_t)off);
        if (got >= 0) {
            return got;
        }
        if (errno != EINTR) {
            return eddy_err_from_errno(errno);
        }
    }
}

uint64_t src_line_of(const eddy_sql_src *s, uint32_t file, uint64_t off)
{
    char err[64];
    int fd = src_open_file(s, file, err, sizeof err);
    if (fd == -1) {
        return 0;
    }
    char buf[65536];
    uint64_t line = 1, at = 0;
    while (at < off) {
        size_t want = off - at < sizeof buf ? (size_t)(off - at) : sizeof buf;
        ptrdiff_t got = src_pread(s, fd, buf, want, at);
        if (got <= 0) {
            break;
        }
        for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + got - p))); p++) {
            line++;
        }
        at += (uint64_t)got;
    }
    if (fd >= 0) {
        close(fd);
    }
    return line;
}

/* Padding after a window's bytes: scanners never read it, but a terminating
 * NUL and a little slack cost nothing. */
#define FBUF_PAD 64

int src_fbuf_init(src_fbuf *f, const eddy_sql_src *s, size_t cap)
{
    memset(f, 0, sizeof *f);
    f->s = s;
    f->fd = -1;
    f->cap = cap ? cap : SRC_READ_SIZE;
    f->buf = malloc(f->cap + FBUF_PAD);
    return f->buf ? 0 : EDDY_ERR_NOMEM;
}

void src_fbuf_close(src_fbuf *f)
{
    if (f->fd >= 0) {
        close(f->fd);
    }
    f->fd = -1;
}

void src_fbuf_deinit(src_fbuf *f)
{
    src_fbuf_close(f);
    free(f->buf);
    f->buf = NULL;
}

int src_fbuf_open(src_fbuf *f, uint32_t file, uint64_t off, uint64_t end, char *err, size_t errlen)
{
    if (f->fd < 0 || f->file != file) {
        src_fbuf_close(f);
        int fd = src_open_file(f->s, file, err, errlen);
        if (fd == -1) {
            return EDDY_ERR_IO;
        }
        f->fd = fd;
        f->file = file;
    }
    f->off = off;
    f->len = f->pos = 0;
    f->end = end;
    f->eof = false;
    return 0;
}

int src_fbuf_more(src_fbuf *f, char *err, size_t errlen)
{
    if (f->pos > 0) {
        memmove(f->buf, f->buf + f->pos, f->len - f->pos);
        f->off += f->pos;
        f->len -= f->pos;
        f->pos = 0;
    }
    if (f->len == f->cap) {
        if (f->cap >= SRC_MAX_LINE) {
            snprintf(err, errlen, "%s: a line longer than %zu MiB at byte %llu",
                     f->s->files[f->file].path, SRC_MAX_LINE >> 20, (unsigned long long)f->off);
            return EDDY_ERR_LIMIT;
        }
        size_t ncap = f->cap * 2;
        char *nb = realloc(f->buf, ncap + FBUF_PAD);
        if (!nb) {
            snprintf(err, errlen, "out of memory");
            return EDDY_ERR_NOMEM;
        }
        f->buf = nb;
        f->cap = ncap;
    }
    size_t want = f->cap - f->len;
    uint64_t at = f->off + f->len;
    if (at >= f->end) {
        want = want < TAIL_READ ? want : TAIL_READ;
    } else if (f->end - at < want) {
        want = (size_t)(f->end - at);
    }
    ptrdiff_t got = src_pread(f->s, f->fd, f->buf + f->len, want, at);
    if (got < 0) {
        snprintf(err, errlen, "%s: %s", f->s->files[f->file].path, eddy_err_str((int)got));
        return (int)got;
    }
    if (got == 0) {
        f->eof = true;
    }
    f->len += (size_t)got;
    f->buf[f->len] = '\0';
    return 0;
}
