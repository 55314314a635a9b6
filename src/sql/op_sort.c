/* ORDER BY: collects its input, sorts it at finish, emits it in order.
 *
 * Each pushed chunk is copied with its sort keys appended as extra
 * columns; rows are referenced by (chunk, row, arrival number), and the
 * arrival number breaks ties, so the sort is stable. With a LIMIT the
 * operator keeps only the best rows: whenever the references outgrow a
 * few times the limit, it sorts, keeps the first LIMIT rows and copies
 * them into a fresh arena (top-N in bounded memory). */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "sql/exec_int.h"
#include "sql/value.h"

typedef struct sref {
    uint32_t chunk;
    uint32_t row;
    uint64_t seq;
} sref;

typedef struct op_sort {
    op base;
    eddy_sql_x *const *keys;
    const bool *desc;
    uint32_t nkeys;
    int64_t limit;
    uint32_t width; /* input columns (the keys follow) */
    eddy_arena arena;
    eddy_sql_chunk *chunks;
    uint32_t nchunks, capchunks;
    sref *refs;
    size_t nrefs, caprefs;
    uint64_t seq;
} op_sort;

static int ref_cmp(const void *a, const void *b, void *arg)
{
    const op_sort *s = arg;
    const sref *x = a, *y = b;
    const eddy_sql_chunk *cx = &s->chunks[x->chunk], *cy = &s->chunks[y->chunk];
    for (uint32_t k = 0; k < s->nkeys; k++) {
        eddy_sql_value vx = eddy_sql_vec_get(&cx->cols[s->width + k], x->row);
        eddy_sql_value vy = eddy_sql_vec_get(&cy->cols[s->width + k], y->row);
        int r = order_cmp(&vx, &vy, s->desc[k]);
        if (r) {
            return r;
        }
    }
    return x->seq < y->seq ? -1 : x->seq > y->seq ? 1 : 0;
}

static int add_chunk(op_sort *s, const eddy_sql_chunk *c)
{
    if (s->nchunks == s->capchunks) {
        uint32_t nc = s->capchunks ? s->capchunks * 2 : 64;
        eddy_sql_chunk *n = realloc(s->chunks, sizeof *n * nc);
        if (!n) {
            return EDDY_ERR_NOMEM;
        }
        s->chunks = n;
        s->capchunks = nc;
    }
    s->chunks[s->nchunks++] = *c;
    return 0;
}

static int add_refs(op_sort *s, uint32_t chunk, uint32_t nrows, const uint64_t *seqs)
{
    if (s->nrefs + nrows > s->caprefs) {
        size_t nc = s->caprefs ? s->caprefs * 2 : 4096;
        while (nc < s->nrefs + nrows) {
            nc *= 2;
        }
        sref *n = realloc(s->refs, sizeof *n * nc);
        if (!n) {
            return EDDY_ERR_NOMEM;
        }
        s->refs = n;
        s->caprefs = nc;
    }
    for (uint32_t r = 0; r < nrows; r++) {
        sref *f = &s->refs[s->nrefs++];
        f->chunk = chunk;
        f->row = r;
        f->seq = seqs ? seqs[r] : s->seq++;
    }
    return 0;
}

/* Keeps the best limit rows, copied into a new arena. */
static int compact(op_sort *s)
{
    if (s->nrefs > 1) {
        qsort_r(s->refs, s->nrefs, sizeof *s->refs, ref_cmp, s);
    }
    size_t keep = (size_t)s->limit < s->nrefs ? (size_t)s->limit : s->nrefs;
    eddy_arena fresh;
    eddy_arena_init(&fresh, 1 << 16, 0);
    uint32_t ncols = s->width + s->nkeys;
    eddy_sql_chunk *nchunks = NULL;
    uint32_t nn = (uint32_t)((keep + EDDY_SQL_CHUNK_ROWS - 1) / EDDY_SQL_CHUNK_ROWS);
    uint64_t *seqs = malloc(sizeof *seqs * (keep ? keep : 1));
    nchunks = malloc(sizeof *nchunks * (nn ? nn : 1));
    if (!seqs || !nchunks) {
        free(seqs);
        free(nchunks);
        eddy_arena_deinit(&fresh);
        return EDDY_ERR_NOMEM;
    }
    for (uint32_t ci = 0; ci < nn; ci++) {
        size_t from = (size_t)ci * EDDY_SQL_CHUNK_ROWS;
        uint32_t rows =
            (uint32_t)(keep - from < EDDY_SQL_CHUNK_ROWS ? keep - from : EDDY_SQL_CHUNK_ROWS);
        rowbuild rb;
        if (rowbuild_init(&rb, ncols, &fresh) != 0) {
            goto nomem;
        }
        for (uint32_t r = 0; r < rows; r++) {
            const sref *f = &s->refs[from + r];
            const eddy_sql_chunk *src = &s->chunks[f->chunk];
            for (uint32_t j = 0; j < ncols; j++) {
                eddy_sql_value v = eddy_sql_vec_get(&src->cols[j], f->row), d;
                if (eddy_sql_value_dup(&d, &v, &fresh) != 0) {
                    goto nomem;
                }
                rowbuild_set(&rb, j, r, &d);
            }
            seqs[from + r] = f->seq;
        }
        if (rowbuild_finish(&rb, rows) != 0) {
            goto nomem;
        }
        nchunks[ci] = rb.chunk;
    }
    eddy_arena_deinit(&s->arena);
    s->arena = fresh;
    free(s->chunks);
    s->chunks = nchunks;
    s->nchunks = s->capchunks = nn;
    s->nrefs = 0;
    for (uint32_t ci = 0; ci < nn; ci++) {
        if (add_refs(s, ci, s->chunks[ci].nrows, seqs + (size_t)ci * EDDY_SQL_CHUNK_ROWS)) {
            free(seqs);
            return EDDY_ERR_NOMEM;
        }
    }
    free(seqs);
    return 0;
nomem:
    free(seqs);
    free(nchunks);
    eddy_arena_deinit(&fresh);
    return EDDY_ERR_NOMEM;
}

static int sort_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_sort *s = (op_sort *)o;
    if (s->limit == 0 || in->nrows == 0) {
        return 0;
    }
    s->width = in->ncols;
    eddy_sql_chunk wide = *in;
    wide.ncols = in->ncols + s->nkeys;
    wide.cols = eddy_arena_alloc(&c->scratch, sizeof *wide.cols * wide.ncols);
    if (!wide.cols) {
        return ctx_nomem(c);
    }
    memcpy(wide.cols, in->cols, sizeof *wide.cols * in->ncols);
    for (uint32_t k = 0; k < s->nkeys; k++) {
        int rc = eddy_sql_x_eval(s->keys[k], &c->x, in, &wide.cols[in->ncols + k]);
        if (rc) {
            return rc;
        }
    }
    eddy_sql_chunk copy;
    if (chunk_copy(&wide, &s->arena, &copy) || add_chunk(s, &copy) ||
        add_refs(s, s->nchunks - 1, copy.nrows, NULL)) {
        return ctx_nomem(c);
    }
    if (s->limit > 0 && s->nrefs > 8192 && s->nrefs > (size_t)s->limit * 4) {
        if (compact(s) != 0) {
            return ctx_nomem(c);
        }
    }
    return 0;
}

static int sort_finish(op *o, ctx *c, uint32_t port)
{
    op_sort *s = (op_sort *)o;
    if (!op_all_finished(o)) {
        return 0;
    }
    if (s->nrefs > 1) {
        qsort_r(s->refs, s->nrefs, sizeof *s->refs, ref_cmp, s);
    }
    size_t n = s->nrefs;
    if (s->limit >= 0 && (size_t)s->limit < n) {
        n = (size_t)s->limit;
    }
    for (size_t from = 0; from < n; from += EDDY_SQL_CHUNK_ROWS) {
        uint32_t rows = (uint32_t)(n - from < EDDY_SQL_CHUNK_ROWS ? n - from : EDDY_SQL_CHUNK_ROWS);
        rowbuild rb;
        if (rowbuild_init(&rb, s->width, &c->scratch) != 0) {
            return ctx_nomem(c);
        }
        for (uint32_t r = 0; r < rows; r++) {
            const sref *f = &s->refs[from + r];
            const eddy_sql_chunk *src = &s->chunks[f->chunk];
            for (uint32_t j = 0; j < s->width; j++) {
                eddy_sql_value v = eddy_sql_vec_get(&src->cols[j], f->row);
                rowbuild_set(&rb, j, r, &v);
            }
        }
        if (rowbuild_finish(&rb, rows) != 0) {
            return ctx_nomem(c);
        }
        int rc = op_emit_own(o, c, &rb.chunk);
        if (rc) {
            return rc;
        }
    }
    return op_emit_finish(o, c);
}

static void sort_free(op *o)
{
    op_sort *s = (op_sort *)o;
    eddy_arena_deinit(&s->arena);
    free(s->chunks);
    free(s->refs);
    free(s);
}

static const op_vt sort_vt = {
    .name = "sort",
    .push = sort_push,
    .advance = op_advance_pass,
    .finish = sort_finish,
    .free = sort_free,
    .par_in = false,
    .stateless = false,
};

op *op_sort_new(exec *ex, eddy_sql_x *const *keys, const bool *desc, uint32_t nkeys, int64_t limit)
{
    op_sort *s = (op_sort *)op_new(ex, sizeof *s, &sort_vt, 1);
    if (!s) {
        return NULL;
    }
    s->keys = keys;
    s->desc = desc;
    s->nkeys = nkeys;
    s->limit = limit;
    eddy_arena_init(&s->arena, 1 << 20, 0);
    return &s->base;
}
