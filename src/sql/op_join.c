/* INNER, LEFT and CROSS JOIN (docs/sql-engine.md "Chunks and operators",
 * "Streaming joins").
 *
 * Batch: both inputs are collected; at finish the right side is hashed on
 * the equality conjuncts of ON (rows with a null key never match), the
 * left side probes in input order, candidate pairs go through the rest of
 * ON (including DATEDIFF bounds between two streams, checked as a
 * predicate), and a LEFT JOIN adds the left rows that found no partner
 * with nulls on the right. Without equality conjuncts every pair is a
 * candidate (a nested loop). Output rows are the left row, the right row,
 * then the later of their two event times.
 *
 * Streaming (exec->streaming): a symmetric hash join. A row that arrives
 * probes the rows stored on the other side, its pairs go out at once, and
 * it is stored on its own side while rows of the other side may still
 * come that can match it. The DATEDIFF bound (eddy_sql_join_spec) says
 * how long: advance(wm) forgets the rows no later row can reach and a
 * LEFT JOIN emits the left ones that found no partner. A side's rows live
 * in segments of one arena; when as many rows are forgotten as are live,
 * the live ones are copied into a fresh arena and the old one is freed,
 * so memory follows the bound's window. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/map.h"
#include "sql/exec_int.h"
#include "sql/value.h"

typedef struct side {
    eddy_arena arena;
    eddy_sql_chunk *chunks;
    uint32_t n, cap;
} side;

/* A candidate output row: row lrow of lc beside row rrow of rc (NULL: no
 * partner, nulls on the right); mark (optional) is set when it passes. */
typedef struct jpair {
    const eddy_sql_chunk *lc, *rc;
    uint32_t lrow, rrow;
    uint8_t *mark;
} jpair;

/* Streaming: a run of stored rows of one side. */
typedef struct seg {
    eddy_sql_chunk ch; /* in the side's arena */
    int64_t *t;        /* per row: the time the bound is on (T_NONE: null) */
    uint8_t *live;     /* per row: still stored */
    uint8_t *matched;  /* per row: found a partner (left rows of a LEFT JOIN) */
    uint32_t nlive;
    int64_t tmin; /* the least t of the live rows; INT64_MAX: none */
} seg;

#define T_NONE INT64_MIN
/* Compaction waits for this many forgotten rows (and as many as live). */
#define COMPACT_MIN 1024

/* Streaming: one side's stored rows and their index on the keys. */
typedef struct sside {
    eddy_arena arena; /* the segments' rows, times and flags */
    seg *segs;
    uint32_t nsegs, capsegs;
    uint64_t live, dead; /* rows stored; rows forgotten, still in the arena */
    eddy_map map;        /* key -> bucket + 1 */
    uint32_t *head, *tail, nb, capb;
    uint32_t *next, *eseg, *erow, ne, cape; /* index entries: (segment, row) */
} sside;

typedef struct op_join {
    op base;
    const eddy_sql_join_spec *js;
    uint32_t lwidth, rwidth;
    side l, r;
    eddy_arena work; /* per left chunk */
    /* the right side's hash table */
    eddy_map buckets; /* key -> bucket + 1 */
    uint32_t *head, *tail, nbuckets;
    uint32_t *next; /* per right row, in (chunk, row) order */
    uint32_t *rchunk, *rrow;
    uint32_t nright;
    /* streaming */
    sside s[2];     /* left, right */
    bool done[2];   /* the port finished */
    bool got[2];    /* rows arrived on the port */
    bool unbounded; /* two open streams without a time bound */
    /* Right rows may be forgotten: the bound is on the left row's own
     * time. When the left row is itself a join, only its joined time is
     * known to be past the watermark, not the bounded input's. */
    bool rexpire;
    int64_t wm, wm_out; /* the watermark seen, the one passed on */
    uint32_t nemitted;  /* chunks emitted, for the row ordinals */
    eddy_arena emit;    /* output rows being built */
    eddy_buf kb;        /* an encoded key */
    jpair *pairs;       /* EDDY_SQL_CHUNK_ROWS */
} op_join;

static int side_add(side *s, const eddy_sql_chunk *in)
{
    if (s->n == s->cap) {
        uint32_t nc = s->cap ? s->cap * 2 : 16;
        eddy_sql_chunk *n = realloc(s->chunks, sizeof *n * nc);
        if (!n) {
            return EDDY_ERR_NOMEM;
        }
        s->chunks = n;
        s->cap = nc;
    }
    if (chunk_copy(in, &s->arena, &s->chunks[s->n]) != 0) {
        return EDDY_ERR_NOMEM;
    }
    s->n++;
    return 0;
}

/* Encodes row r's keys; false when one is null. */
static bool encode_keys(const eddy_sql_vec *keys, uint32_t nkeys, uint32_t r, eddy_buf *out)
{
    eddy_buf_reset(out);
    for (uint32_t k = 0; k < nkeys; k++) {
        eddy_sql_value v = eddy_sql_vec_get(&keys[k], r);
        if (v.type == EDDY_SQL_V_NULL) {
            return false;
        }
        eddy_sql_key_put(out, &v);
    }
    return true;
}

static int eval_keys(op_join *j, ctx *c, eddy_sql_x *const *xs, const eddy_sql_chunk *in,
                     eddy_sql_vec *out)
{
    eddy_sql_xctx wx = c->x;
    wx.arena = &j->work;
    for (uint32_t k = 0; k < j->js->nkeys; k++) {
        int rc = eddy_sql_x_eval(xs[k], &wx, in, &out[k]);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static int build(op_join *j, ctx *c)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < j->r.n; i++) {
        total += j->r.chunks[i].nrows;
    }
    j->next = malloc(sizeof *j->next * (total + 1));
    j->rchunk = malloc(sizeof *j->rchunk * (total + 1));
    j->rrow = malloc(sizeof *j->rrow * (total + 1));
    if (!j->next || !j->rchunk || !j->rrow) {
        return ctx_nomem(c);
    }
    uint32_t nk = j->js->nkeys;
    eddy_sql_vec *keys = malloc(sizeof *keys * (nk + 1));
    eddy_buf kb;
    eddy_buf_init(&kb, 0);
    int rc = 0;
    if (!keys) {
        return ctx_nomem(c);
    }
    uint32_t capb = 0;
    for (uint32_t ci = 0; ci < j->r.n && !rc; ci++) {
        const eddy_sql_chunk *ch = &j->r.chunks[ci];
        eddy_arena_reset(&j->work);
        if ((rc = eval_keys(j, c, j->js->rkeys, ch, keys))) {
            break;
        }
        for (uint32_t r = 0; r < ch->nrows; r++) {
            if (!encode_keys(keys, nk, r, &kb)) {
                continue;
            }
            if (kb.err) {
                rc = ctx_nomem(c);
                break;
            }
            uint32_t id = j->nright++;
            j->rchunk[id] = ci;
            j->rrow[id] = r;
            j->next[id] = UINT32_MAX;
            uintptr_t b = (uintptr_t)eddy_map_get(&j->buckets, kb.data, kb.len);
            if (b == 0) {
                if (j->nbuckets == capb) {
                    capb = capb ? capb * 2 : 1024;
                    uint32_t *h = realloc(j->head, sizeof *h * capb);
                    uint32_t *t = h ? realloc(j->tail, sizeof *t * capb) : NULL;
                    if (h) {
                        j->head = h;
                    }
                    if (!h || !t) {
                        rc = ctx_nomem(c);
                        break;
                    }
                    j->tail = t;
                }
                b = ++j->nbuckets;
                if (eddy_map_put(&j->buckets, kb.data, kb.len, (void *)b, NULL) != 0) {
                    rc = ctx_nomem(c);
                    break;
                }
                j->head[b - 1] = j->tail[b - 1] = id;
            } else {
                j->next[j->tail[b - 1]] = id;
                j->tail[b - 1] = id;
            }
        }
    }
    free(keys);
    eddy_buf_deinit(&kb);
    return rc;
}

/* Builds the output rows of pairs[0..n) (all with a partner, or all
 * without) in x->arena: the left row, the right row or nulls, the later
 * time. Pairs with a partner must pass the residual; those that pass are
 * marked. *any is false when none is left in *out. */
static int pairs_rows(op_join *j, ctx *c, eddy_sql_xctx *x, const jpair *pairs, uint32_t n,
                      eddy_sql_chunk *out, bool *any)
{
    uint32_t w = j->lwidth + j->rwidth;
    rowbuild rb;
    *any = false;
    if (rowbuild_init(&rb, w + 1, x->arena) != 0) {
        return ctx_nomem(c);
    }
    eddy_sql_value null = {.type = EDDY_SQL_V_NULL};
    for (uint32_t i = 0; i < n; i++) {
        const jpair *p = &pairs[i];
        for (uint32_t k = 0; k < j->lwidth; k++) {
            eddy_sql_value v = eddy_sql_vec_get(&p->lc->cols[k], p->lrow);
            rowbuild_set(&rb, k, i, &v);
        }
        eddy_sql_value lt = eddy_sql_vec_get(&p->lc->cols[j->lwidth - 1], p->lrow), rt = null;
        if (!p->rc) {
            for (uint32_t k = 0; k < j->rwidth; k++) {
                rowbuild_set(&rb, j->lwidth + k, i, &null);
            }
        } else {
            for (uint32_t k = 0; k < j->rwidth; k++) {
                eddy_sql_value v = eddy_sql_vec_get(&p->rc->cols[k], p->rrow);
                rowbuild_set(&rb, j->lwidth + k, i, &v);
            }
            rt = eddy_sql_vec_get(&p->rc->cols[j->rwidth - 1], p->rrow);
        }
        eddy_sql_value t = lt;
        if (rt.type == EDDY_SQL_V_TIME && (t.type != EDDY_SQL_V_TIME || rt.i > t.i)) {
            t = rt;
        }
        rowbuild_set(&rb, w, i, &t);
    }
    if (rowbuild_finish(&rb, n) != 0) {
        return ctx_nomem(c);
    }
    *out = rb.chunk;
    if (j->js->residual && pairs[0].rc) {
        uint32_t *sel = eddy_arena_alloc(x->arena, sizeof *sel * n);
        uint32_t nsel;
        if (!sel) {
            return ctx_nomem(c);
        }
        int rc = eddy_sql_x_select(j->js->residual, x, &rb.chunk, sel, &nsel);
        if (rc) {
            return rc;
        }
        for (uint32_t i = 0; i < nsel; i++) {
            if (pairs[sel[i]].mark) {
                *pairs[sel[i]].mark = 1;
            }
        }
        if (nsel == 0) {
            return 0;
        }
        if (nsel < n && eddy_sql_chunk_gather(&rb.chunk, sel, nsel, x->arena, out) != 0) {
            return ctx_nomem(c);
        }
    } else {
        for (uint32_t i = 0; i < n; i++) {
            if (pairs[i].mark) {
                *pairs[i].mark = 1;
            }
        }
    }
    *any = true;
    return 0;
}

/* Builds and emits the output rows of pairs[0..n) (batch). */
static int flush(op_join *j, ctx *c, const jpair *pairs, uint32_t n)
{
    if (n == 0) {
        return 0;
    }
    eddy_sql_xctx x = c->x;
    x.arena = &c->scratch;
    eddy_sql_chunk out;
    bool any;
    int rc = pairs_rows(j, c, &x, pairs, n, &out, &any);
    if (rc) {
        return rc;
    }
    if (!any) {
        eddy_arena_reset(&c->scratch);
        return 0;
    }
    return op_emit_own(&j->base, c, &out);
}

static int probe(op_join *j, ctx *c)
{
    uint32_t nk = j->js->nkeys;
    bool left = j->js->kind == EDDY_SQL_JOIN_LEFT;
    eddy_sql_vec *keys = malloc(sizeof *keys * (nk + 1));
    jpair *pairs = malloc(sizeof *pairs * EDDY_SQL_CHUNK_ROWS);
    uint8_t *matched = malloc(EDDY_SQL_CHUNK_ROWS);
    eddy_buf kb;
    eddy_buf_init(&kb, 0);
    int rc = 0;
    if (!keys || !pairs || !matched) {
        rc = ctx_nomem(c);
        goto out;
    }
    for (uint32_t ci = 0; ci < j->l.n && !rc; ci++) {
        const eddy_sql_chunk *lc = &j->l.chunks[ci];
        eddy_arena_reset(&j->work);
        if (nk && (rc = eval_keys(j, c, j->js->lkeys, lc, keys))) {
            break;
        }
        memset(matched, 0, lc->nrows);
        uint32_t np = 0;
        for (uint32_t r = 0; r < lc->nrows && !rc; r++) {
            if (nk) {
                if (!encode_keys(keys, nk, r, &kb)) {
                    continue;
                }
                uintptr_t b = (uintptr_t)eddy_map_get(&j->buckets, kb.data, kb.len);
                for (uint32_t id = b ? j->head[b - 1] : UINT32_MAX; id != UINT32_MAX && !rc;
                     id = j->next[id]) {
                    pairs[np++] =
                        (jpair){lc, &j->r.chunks[j->rchunk[id]], r, j->rrow[id], &matched[r]};
                    if (np == EDDY_SQL_CHUNK_ROWS) {
                        rc = flush(j, c, pairs, np);
                        np = 0;
                    }
                }
            } else {
                for (uint32_t rc2 = 0; rc2 < j->r.n && !rc; rc2++) {
                    for (uint32_t rr = 0; rr < j->r.chunks[rc2].nrows && !rc; rr++) {
                        pairs[np++] = (jpair){lc, &j->r.chunks[rc2], r, rr, &matched[r]};
                        if (np == EDDY_SQL_CHUNK_ROWS) {
                            rc = flush(j, c, pairs, np);
                            np = 0;
                        }
                    }
                }
            }
        }
        if (!rc) {
            rc = flush(j, c, pairs, np);
        }
        if (!rc && left) {
            np = 0;
            for (uint32_t r = 0; r < lc->nrows; r++) {
                if (!matched[r]) {
                    pairs[np++] = (jpair){lc, NULL, r, 0, NULL};
                }
            }
            rc = flush(j, c, pairs, np);
        }
    }
out:
    free(keys);
    free(pairs);
    free(matched);
    eddy_buf_deinit(&kb);
    return rc;
}

/* ---- streaming -------------------------------------------------------- */

static void sside_init(sside *s)
{
    memset(s, 0, sizeof *s);
    eddy_arena_init(&s->arena, 1 << 16, 0);
    eddy_map_init(&s->map);
}

static void sside_deinit(sside *s)
{
    eddy_arena_deinit(&s->arena);
    eddy_map_deinit(&s->map);
    free(s->segs);
    free(s->head);
    free(s->tail);
    free(s->next);
    free(s->eseg);
    free(s->erow);
}

/* Forgets every row of a side and frees their memory. */
static void sside_clear(sside *s)
{
    sside_deinit(s);
    sside_init(s);
}

/* Adds (segment, row) under key kb to the index. */
static int idx_add(sside *s, const eddy_buf *kb, uint32_t sg, uint32_t row)
{
    if (s->ne == s->cape) {
        uint32_t nc = s->cape ? s->cape * 2 : 256;
        uint32_t *n = realloc(s->next, sizeof *n * nc);
        if (n) {
            s->next = n;
        }
        uint32_t *e = n ? realloc(s->eseg, sizeof *e * nc) : NULL;
        if (e) {
            s->eseg = e;
        }
        uint32_t *r = e ? realloc(s->erow, sizeof *r * nc) : NULL;
        if (!r) {
            return EDDY_ERR_NOMEM;
        }
        s->erow = r;
        s->cape = nc;
    }
    uint32_t id = s->ne++;
    s->eseg[id] = sg;
    s->erow[id] = row;
    s->next[id] = UINT32_MAX;
    uintptr_t b = (uintptr_t)eddy_map_get(&s->map, kb->data, kb->len);
    if (b) {
        s->next[s->tail[b - 1]] = id;
        s->tail[b - 1] = id;
        return 0;
    }
    if (s->nb == s->capb) {
        uint32_t nc = s->capb ? s->capb * 2 : 256;
        uint32_t *h = realloc(s->head, sizeof *h * nc);
        if (h) {
            s->head = h;
        }
        uint32_t *t = h ? realloc(s->tail, sizeof *t * nc) : NULL;
        if (!t) {
            return EDDY_ERR_NOMEM;
        }
        s->tail = t;
        s->capb = nc;
    }
    b = ++s->nb;
    if (eddy_map_put(&s->map, kb->data, kb->len, (void *)b, NULL) != 0) {
        return EDDY_ERR_NOMEM;
    }
    s->head[b - 1] = s->tail[b - 1] = id;
    return 0;
}

/* The time of row r the bound is on: a left row's bounded input, else
 * the row's own event time (its last column). */
static int64_t row_time(const op_join *j, uint32_t port, const eddy_sql_chunk *ch, uint32_t r)
{
    uint32_t col = port == 1 ? j->rwidth - 1 : j->js->bounded ? j->js->bound_lcol : j->lwidth - 1;
    eddy_sql_value v = eddy_sql_vec_get(&ch->cols[col], r);
    return v.type == EDDY_SQL_V_TIME ? v.i : T_NONE;
}

/* How far past a stored row's time the watermark must be to forget it:
 * no later right row (time > wm) reaches left time t once t + hi <= wm,
 * no later left row reaches right time t once t - lo <= wm. */
static int64_t reach(const op_join *j, uint32_t port)
{
    return port == 0 ? j->js->hi_us : -j->js->lo_us;
}

/* Emits the rows of pairs, built in j->emit, with row ordinals of this
 * operator's own. From push (own false) the scratch arena is left alone:
 * the chunk being pushed may live there; from advance and finish it is
 * reset after the push, as op_emit_own does. */
static int semit(op_join *j, ctx *c, const jpair *pairs, uint32_t n, bool own)
{
    if (n == 0) {
        return 0;
    }
    eddy_sql_xctx x = c->x;
    x.arena = &j->emit;
    eddy_sql_chunk out;
    bool any;
    int rc = pairs_rows(j, c, &x, pairs, n, &out, &any);
    if (!rc && any) {
        uint32_t origin = c->origin, part = c->part, chunkno = c->chunkno;
        c->origin = c->ex->nscans + j->base.id;
        c->part = 0;
        c->chunkno = j->nemitted++;
        rc = op_emit(&j->base, c, &out);
        c->origin = origin;
        c->part = part;
        c->chunkno = chunkno;
        if (own) {
            eddy_arena_reset(&c->scratch);
        }
    }
    eddy_arena_reset(&j->emit);
    return rc;
}

typedef struct pend {
    int64_t t;
    uint32_t sg, row;
} pend;

static int pend_cmp(const void *a, const void *b)
{
    const pend *x = a, *y = b;
    if (x->t != y->t) {
        return x->t < y->t ? -1 : 1;
    }
    if (x->sg != y->sg) {
        return x->sg < y->sg ? -1 : 1;
    }
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Emits left rows p[0..n) without a partner, in time order. */
static int emit_unmatched(op_join *j, ctx *c, pend *p, size_t n)
{
    if (!j->pairs && !(j->pairs = malloc(sizeof *j->pairs * EDDY_SQL_CHUNK_ROWS))) {
        return ctx_nomem(c);
    }
    qsort(p, n, sizeof *p, pend_cmp);
    uint32_t np = 0;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        j->pairs[np++] = (jpair){&j->s[0].segs[p[i].sg].ch, NULL, p[i].row, 0, NULL};
        if (np == EDDY_SQL_CHUNK_ROWS) {
            rc = semit(j, c, j->pairs, np, true);
            np = 0;
        }
    }
    return rc ? rc : semit(j, c, j->pairs, np, true);
}

/* Where compaction gathers rows: the segment being built. */
typedef struct gather {
    sside n; /* the new side */
    rowbuild rb;
    int64_t t[EDDY_SQL_CHUNK_ROWS];
    uint8_t m[EDDY_SQL_CHUNK_ROWS];
    uint32_t nr;
} gather;

/* Turns the rows gathered in g into a segment of g->n and indexes it. */
static int gather_flush(op_join *j, ctx *c, gather *g, uint32_t port, eddy_sql_vec *keys)
{
    sside *n = &g->n;
    uint32_t nr = g->nr, nk = j->js->nkeys;
    if (n->nsegs == n->capsegs) {
        uint32_t nc = n->capsegs ? n->capsegs * 2 : 16;
        seg *ns = realloc(n->segs, sizeof *ns * nc);
        if (!ns) {
            return ctx_nomem(c);
        }
        n->segs = ns;
        n->capsegs = nc;
    }
    seg *d = &n->segs[n->nsegs];
    memset(d, 0, sizeof *d);
    if (rowbuild_finish(&g->rb, nr) != 0 || chunk_copy(&g->rb.chunk, &n->arena, &d->ch) != 0 ||
        !(d->t = eddy_arena_memdup(&n->arena, g->t, sizeof *g->t * nr)) ||
        !(d->matched = eddy_arena_memdup(&n->arena, g->m, nr)) ||
        !(d->live = eddy_arena_alloc(&n->arena, nr))) {
        return ctx_nomem(c);
    }
    memset(d->live, 1, nr);
    d->nlive = nr;
    d->tmin = INT64_MAX;
    for (uint32_t r = 0; r < nr; r++) {
        d->tmin = d->t[r] != T_NONE && d->t[r] < d->tmin ? d->t[r] : d->tmin;
    }
    n->live += nr;
    uint32_t di = n->nsegs++;
    eddy_arena_reset(&j->work);
    if (nk) {
        /* stored rows have keys without nulls */
        int rc = eval_keys(j, c, port == 0 ? j->js->lkeys : j->js->rkeys, &d->ch, keys);
        for (uint32_t r = 0; r < nr && !rc; r++) {
            if (!encode_keys(keys, nk, r, &j->kb) || j->kb.err || idx_add(n, &j->kb, di, r)) {
                rc = ctx_nomem(c);
            }
        }
        if (rc) {
            return rc;
        }
    }
    eddy_arena_reset(&j->work);
    g->nr = 0;
    return rowbuild_init(&g->rb, port == 0 ? j->lwidth : j->rwidth, &j->work) ? ctx_nomem(c) : 0;
}

/* Copies a side's live rows into a fresh arena (full segments) and
 * rebuilds the index, once as many rows are forgotten as are live. */
static int compact(op_join *j, ctx *c, uint32_t port)
{
    sside *s = &j->s[port];
    if (s->live == 0) {
        if (s->nsegs) {
            sside_clear(s);
        }
        return 0;
    }
    if (s->dead < COMPACT_MIN || s->dead < s->live) {
        return 0;
    }
    uint32_t width = port == 0 ? j->lwidth : j->rwidth;
    gather *g = malloc(sizeof *g);
    eddy_sql_vec *keys = malloc(sizeof *keys * (j->js->nkeys + 1));
    int rc = 0;
    if (!g || !keys) {
        free(g);
        free(keys);
        return ctx_nomem(c);
    }
    sside_init(&g->n);
    g->nr = 0;
    eddy_arena_reset(&j->work);
    if (rowbuild_init(&g->rb, width, &j->work) != 0) {
        rc = ctx_nomem(c);
    }
    for (uint32_t si = 0; si < s->nsegs && !rc; si++) {
        const seg *sg = &s->segs[si];
        for (uint32_t r = 0; r < sg->ch.nrows && sg->nlive && !rc; r++) {
            if (!sg->live[r]) {
                continue;
            }
            for (uint32_t k = 0; k < width; k++) {
                eddy_sql_value v = eddy_sql_vec_get(&sg->ch.cols[k], r);
                rowbuild_set(&g->rb, k, g->nr, &v);
            }
            g->t[g->nr] = sg->t[r];
            g->m[g->nr++] = sg->matched[r];
            if (g->nr == EDDY_SQL_CHUNK_ROWS) {
                rc = gather_flush(j, c, g, port, keys);
            }
        }
    }
    if (!rc && g->nr) {
        rc = gather_flush(j, c, g, port, keys);
    }
    eddy_arena_reset(&j->work);
    free(keys);
    if (rc) {
        sside_deinit(&g->n);
        free(g);
        return rc;
    }
    sside_deinit(s);
    *s = g->n;
    free(g);
    for (uint32_t i = 0; i < s->nsegs; i++) {
        s->segs[i].ch.arena = &s->arena;
    }
    return 0;
}

/* Forgets the rows of side port that the watermark took out of reach;
 * left rows of a LEFT JOIN that found no partner go out now. */
static int expire(op_join *j, ctx *c, uint32_t port, int64_t wm)
{
    sside *s = &j->s[port];
    int64_t d = reach(j, port);
    bool left = port == 0 && j->js->kind == EDDY_SQL_JOIN_LEFT;
    pend *p = NULL;
    size_t np = 0, cap = 0;
    int rc = 0;
    for (uint32_t si = 0; si < s->nsegs; si++) {
        seg *sg = &s->segs[si];
        if (sg->nlive == 0 || sg->tmin == INT64_MAX || sg->tmin + d > wm) {
            continue;
        }
        int64_t tmin = INT64_MAX;
        for (uint32_t r = 0; r < sg->ch.nrows; r++) {
            if (!sg->live[r]) {
                continue;
            }
            if (sg->t[r] + d > wm) {
                tmin = sg->t[r] < tmin ? sg->t[r] : tmin;
                continue;
            }
            sg->live[r] = 0;
            sg->nlive--;
            s->live--;
            s->dead++;
            if (left && !sg->matched[r]) {
                if (np == cap) {
                    cap = cap ? cap * 2 : 256;
                    pend *n = realloc(p, sizeof *n * cap);
                    if (!n) {
                        free(p);
                        return ctx_nomem(c);
                    }
                    p = n;
                }
                p[np++] = (pend){sg->t[r], si, r};
            }
        }
        sg->tmin = tmin;
    }
    if (np) {
        rc = emit_unmatched(j, c, p, np);
    }
    free(p);
    return rc ? rc : compact(j, c, port);
}

/* Forgets every row of side port (the other input ended: nothing more can
 * match them); left rows of a LEFT JOIN without a partner go out. */
static int drop_side(op_join *j, ctx *c, uint32_t port)
{
    sside *s = &j->s[port];
    int rc = 0;
    if (port == 0 && j->js->kind == EDDY_SQL_JOIN_LEFT && s->live) {
        pend *p = malloc(sizeof *p * s->live);
        size_t np = 0;
        if (!p) {
            return ctx_nomem(c);
        }
        for (uint32_t si = 0; si < s->nsegs; si++) {
            const seg *sg = &s->segs[si];
            for (uint32_t r = 0; r < sg->ch.nrows; r++) {
                if (sg->live[r] && !sg->matched[r]) {
                    p[np++] = (pend){sg->t[r] == T_NONE ? INT64_MAX : sg->t[r], si, r};
                }
            }
        }
        rc = emit_unmatched(j, c, p, np);
        free(p);
    }
    sside_clear(s);
    return rc;
}

/* Stores rows sel[0..n) of in (keys evaluated over in) as a segment of
 * side port. */
static int store(op_join *j, ctx *c, uint32_t port, const eddy_sql_chunk *in, const uint32_t *sel,
                 uint32_t n, const int64_t *t, const uint8_t *matched, const eddy_sql_vec *keys)
{
    sside *s = &j->s[port];
    if (s->nsegs == s->capsegs) {
        uint32_t nc = s->capsegs ? s->capsegs * 2 : 16;
        seg *ns = realloc(s->segs, sizeof *ns * nc);
        if (!ns) {
            return ctx_nomem(c);
        }
        s->segs = ns;
        s->capsegs = nc;
    }
    seg *d = &s->segs[s->nsegs];
    memset(d, 0, sizeof *d);
    eddy_sql_chunk g;
    const eddy_sql_chunk *src = in;
    if (n < in->nrows) {
        if (eddy_sql_chunk_gather(in, sel, n, &j->work, &g) != 0) {
            return ctx_nomem(c);
        }
        src = &g;
    }
    if (chunk_copy(src, &s->arena, &d->ch) != 0 ||
        !(d->t = eddy_arena_alloc(&s->arena, sizeof *d->t * n)) ||
        !(d->matched = eddy_arena_alloc(&s->arena, n)) ||
        !(d->live = eddy_arena_alloc(&s->arena, n))) {
        return ctx_nomem(c);
    }
    d->tmin = INT64_MAX;
    for (uint32_t i = 0; i < n; i++) {
        d->t[i] = t[sel[i]];
        d->matched[i] = matched[sel[i]];
        d->live[i] = 1;
        d->tmin = d->t[i] != T_NONE && d->t[i] < d->tmin ? d->t[i] : d->tmin;
    }
    d->nlive = n;
    s->live += n;
    uint32_t si = s->nsegs++;
    for (uint32_t i = 0; i < n && j->js->nkeys; i++) {
        if (!encode_keys(keys, j->js->nkeys, sel[i], &j->kb) || j->kb.err ||
            idx_add(s, &j->kb, si, i) != 0) {
            return ctx_nomem(c);
        }
    }
    return 0;
}

/* Adds the pair of incoming row r with stored row (si, sr) of the other
 * side; flushes a full batch. */
static int add_pair(op_join *j, ctx *c, uint32_t port, const eddy_sql_chunk *in, uint32_t r,
                    uint8_t *matched, uint32_t si, uint32_t sr, uint32_t *np)
{
    seg *sg = &j->s[1 - port].segs[si];
    j->pairs[(*np)++] = port == 0 ? (jpair){in, &sg->ch, r, sr, &matched[r]}
                                  : (jpair){&sg->ch, in, sr, r, &sg->matched[sr]};
    if (*np < EDDY_SQL_CHUNK_ROWS) {
        return 0;
    }
    *np = 0;
    return semit(j, c, j->pairs, EDDY_SQL_CHUNK_ROWS, false);
}

/* True when the pair's times can satisfy the bound (t: incoming row's,
 * u: stored row's). */
static bool in_bound(const op_join *j, uint32_t port, int64_t t, int64_t u)
{
    if (!j->js->bounded) {
        return true;
    }
    int64_t d = port == 0 ? u - t : t - u; /* right - left */
    return d >= j->js->lo_us && d <= j->js->hi_us;
}

static int stream_push(op_join *j, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    const eddy_sql_join_spec *js = j->js;
    uint32_t other = 1 - port, nk = js->nkeys, n = in->nrows;
    if (!j->done[other] && j->got[other] && !j->rexpire) {
        j->unbounded = true;
    }
    j->got[port] = true;
    if (!j->pairs && !(j->pairs = malloc(sizeof *j->pairs * EDDY_SQL_CHUNK_ROWS))) {
        return ctx_nomem(c);
    }
    eddy_arena_reset(&j->work);
    eddy_sql_vec *keys = eddy_arena_alloc(&j->work, sizeof *keys * (nk + 1));
    int64_t *t = eddy_arena_alloc(&j->work, sizeof *t * n);
    uint8_t *matched = eddy_arena_calloc(&j->work, n, 1);
    uint32_t *keep = eddy_arena_alloc(&j->work, sizeof *keep * n);
    if (!keys || !t || !matched || !keep) {
        return ctx_nomem(c);
    }
    int rc = nk ? eval_keys(j, c, port == 0 ? js->lkeys : js->rkeys, in, keys) : 0;
    if (rc) {
        return rc;
    }
    const sside *os = &j->s[other];
    int64_t d = reach(j, port);
    uint32_t np = 0, nkeep = 0;
    for (uint32_t r = 0; r < n && !rc; r++) {
        t[r] = row_time(j, port, in, r);
        if (nk && !encode_keys(keys, nk, r, &j->kb)) {
            continue; /* a null key never matches */
        }
        if (j->kb.err) {
            return ctx_nomem(c);
        }
        if (js->bounded && t[r] == T_NONE) {
            continue; /* nor does a null time */
        }
        if (nk) {
            uintptr_t b = (uintptr_t)eddy_map_get(&os->map, j->kb.data, j->kb.len);
            for (uint32_t id = b ? os->head[b - 1] : UINT32_MAX; id != UINT32_MAX && !rc;
                 id = os->next[id]) {
                const seg *sg = &os->segs[os->eseg[id]];
                uint32_t sr = os->erow[id];
                if (sg->live[sr] && in_bound(j, port, t[r], sg->t[sr])) {
                    rc = add_pair(j, c, port, in, r, matched, os->eseg[id], sr, &np);
                }
            }
        } else {
            for (uint32_t si = 0; si < os->nsegs && !rc; si++) {
                const seg *sg = &os->segs[si];
                for (uint32_t sr = 0; sr < sg->ch.nrows && sg->nlive && !rc; sr++) {
                    if (sg->live[sr] && in_bound(j, port, t[r], sg->t[sr])) {
                        rc = add_pair(j, c, port, in, r, matched, si, sr, &np);
                    }
                }
            }
        }
        /* stored while the other side may still bring a partner */
        bool forever = !js->bounded || (port == 1 && !j->rexpire);
        if (!j->done[other] && (forever || t[r] + d > j->wm)) {
            keep[nkeep++] = r;
        }
    }
    if (!rc) {
        rc = semit(j, c, j->pairs, np, false);
    }
    if (!rc && nkeep) {
        rc = store(j, c, port, in, keep, nkeep, t, matched, keys);
    }
    if (!rc && port == 0 && js->kind == EDDY_SQL_JOIN_LEFT) {
        /* left rows not stored have had their only chance */
        np = 0;
        for (uint32_t r = 0, k = 0; r < n && !rc; r++) {
            if (k < nkeep && keep[k] == r) {
                k++;
                continue;
            }
            if (!matched[r]) {
                j->pairs[np++] = (jpair){in, NULL, r, 0, NULL};
                if (np == EDDY_SQL_CHUNK_ROWS) {
                    rc = semit(j, c, j->pairs, np, false);
                    np = 0;
                }
            }
        }
        if (!rc) {
            rc = semit(j, c, j->pairs, np, false);
        }
    }
    eddy_arena_reset(&j->work);
    return rc;
}

static int join_advance(op *o, ctx *c, int64_t wm)
{
    op_join *j = (op_join *)o;
    if (!o->ex->streaming) {
        return op_advance_pass(o, c, wm);
    }
    if (wm <= j->wm) {
        return 0; /* the same watermark through the other input */
    }
    j->wm = wm;
    int rc = 0;
    for (uint32_t p = 0; p < (j->rexpire ? 2u : 1u) && !rc && j->js->bounded; p++) {
        rc = expire(j, c, p, wm);
    }
    if (rc) {
        return rc;
    }
    /* a LEFT JOIN may still emit a stored left row with its own time */
    int64_t out = wm;
    if (j->js->kind == EDDY_SQL_JOIN_LEFT) {
        const sside *s = &j->s[0];
        for (uint32_t si = 0; si < s->nsegs; si++) {
            if (s->segs[si].nlive && s->segs[si].tmin != INT64_MAX && s->segs[si].tmin <= out) {
                out = s->segs[si].tmin - 1;
            }
        }
    }
    if (out <= j->wm_out) {
        return 0;
    }
    j->wm_out = out;
    return op_emit_advance(o, c, out);
}

static int join_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_join *j = (op_join *)o;
    if (in->nrows == 0) {
        return 0;
    }
    if (o->ex->streaming) {
        return stream_push(j, c, port, in);
    }
    if (side_add(port == 0 ? &j->l : &j->r, in) != 0) {
        return ctx_nomem(c);
    }
    return 0;
}

static int stream_finish(op_join *j, ctx *c, uint32_t port)
{
    j->done[port] = true;
    /* the rows of the other side can meet no new partner now (right
     * ended), or the ended side's rows are needed by nobody (left ended) */
    int rc = drop_side(j, c, port == 1 ? 0 : 1);
    if (rc) {
        return rc;
    }
    if (!op_all_finished(&j->base)) {
        return 0;
    }
    return op_emit_finish(&j->base, c);
}

bool op_join_unbounded(const op *o)
{
    return o->vt->push == join_push && ((const op_join *)o)->unbounded;
}

uint64_t op_join_stored(const op *o)
{
    if (o->vt->push != join_push) {
        return 0;
    }
    const op_join *j = (const op_join *)o;
    return j->s[0].live + j->s[1].live;
}

uint64_t op_join_held(const op *o)
{
    if (o->vt->push != join_push) {
        return 0;
    }
    const op_join *j = (const op_join *)o;
    return j->s[0].live + j->s[0].dead + j->s[1].live + j->s[1].dead;
}

static int join_finish(op *o, ctx *c, uint32_t port)
{
    op_join *j = (op_join *)o;
    if (o->ex->streaming) {
        return stream_finish(j, c, port);
    }
    if (!op_all_finished(o)) {
        return 0;
    }
    int rc = 0;
    if (j->js->nkeys && (rc = build(j, c))) {
        return rc;
    }
    if ((rc = probe(j, c))) {
        return rc;
    }
    return op_emit_finish(o, c);
}

static void join_free(op *o)
{
    op_join *j = (op_join *)o;
    eddy_arena_deinit(&j->l.arena);
    eddy_arena_deinit(&j->r.arena);
    eddy_arena_deinit(&j->work);
    free(j->l.chunks);
    free(j->r.chunks);
    eddy_map_deinit(&j->buckets);
    free(j->head);
    free(j->tail);
    free(j->next);
    free(j->rchunk);
    free(j->rrow);
    sside_deinit(&j->s[0]);
    sside_deinit(&j->s[1]);
    eddy_arena_deinit(&j->emit);
    eddy_buf_deinit(&j->kb);
    free(j->pairs);
    free(j);
}

static const op_vt join_vt = {
    .name = "join",
    .push = join_push,
    .advance = join_advance,
    .finish = join_finish,
    .free = join_free,
    .par_in = false,
    .stateless = false,
};

op *op_join_new(exec *ex, const eddy_sql_join_spec *js, uint32_t lwidth, uint32_t rwidth)
{
    op_join *j = (op_join *)op_new(ex, sizeof *j, &join_vt, 2);
    if (!j) {
        return NULL;
    }
    j->js = js;
    j->lwidth = lwidth;
    j->rwidth = rwidth;
    j->rexpire = js->bounded && js->bound_lcol == lwidth - 1;
    eddy_arena_init(&j->l.arena, 1 << 20, 0);
    eddy_arena_init(&j->r.arena, 1 << 20, 0);
    eddy_arena_init(&j->work, 1 << 16, 0);
    eddy_map_init(&j->buckets);
    sside_init(&j->s[0]);
    sside_init(&j->s[1]);
    j->wm = j->wm_out = INT64_MIN;
    eddy_arena_init(&j->emit, 1 << 16, 0);
    eddy_buf_init(&j->kb, 0);
    return &j->base;
}
