/* INNER, LEFT and CROSS JOIN (docs/sql-engine.md "Chunks and operators").
 *
 * Both inputs are collected; at finish the right side is hashed on the
 * equality conjuncts of ON (rows with a null key never match), the left
 * side probes in input order, candidate pairs go through the rest of ON
 * (including DATEDIFF bounds between two streams, checked as a predicate
 * in batch), and a LEFT JOIN adds the left rows that found no partner
 * with nulls on the right. Without equality conjuncts every pair is a
 * candidate (a nested loop). Output rows are the left row, the right row,
 * then the later of their two event times. */
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

typedef struct jpair {
    uint32_t lrow;
    uint32_t rchunk, rrow; /* rchunk UINT32_MAX: no partner (LEFT) */
} jpair;

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

static int join_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_join *j = (op_join *)o;
    if (in->nrows == 0) {
        return 0;
    }
    if (side_add(port == 0 ? &j->l : &j->r, in) != 0) {
        return ctx_nomem(c);
    }
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

/* Builds and emits the output rows of pairs[0..n) of left chunk lc. */
static int flush(op_join *j, ctx *c, const eddy_sql_chunk *lc, const jpair *pairs, uint32_t n,
                 uint8_t *matched)
{
    if (n == 0) {
        return 0;
    }
    uint32_t w = j->lwidth + j->rwidth;
    rowbuild rb;
    if (rowbuild_init(&rb, w + 1, &c->scratch) != 0) {
        return ctx_nomem(c);
    }
    eddy_sql_value null = {.type = EDDY_SQL_V_NULL};
    for (uint32_t i = 0; i < n; i++) {
        const jpair *p = &pairs[i];
        for (uint32_t k = 0; k < j->lwidth; k++) {
            eddy_sql_value v = eddy_sql_vec_get(&lc->cols[k], p->lrow);
            rowbuild_set(&rb, k, i, &v);
        }
        eddy_sql_value lt = eddy_sql_vec_get(&lc->cols[j->lwidth - 1], p->lrow), rt = null;
        if (p->rchunk == UINT32_MAX) {
            for (uint32_t k = 0; k < j->rwidth; k++) {
                rowbuild_set(&rb, j->lwidth + k, i, &null);
            }
        } else {
            const eddy_sql_chunk *rc = &j->r.chunks[p->rchunk];
            for (uint32_t k = 0; k < j->rwidth; k++) {
                eddy_sql_value v = eddy_sql_vec_get(&rc->cols[k], p->rrow);
                rowbuild_set(&rb, j->lwidth + k, i, &v);
            }
            rt = eddy_sql_vec_get(&rc->cols[j->rwidth - 1], p->rrow);
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
    const eddy_sql_chunk *out = &rb.chunk;
    eddy_sql_chunk sub;
    if (j->js->residual && pairs[0].rchunk != UINT32_MAX) {
        uint32_t *sel = eddy_arena_alloc(&c->scratch, sizeof *sel * n);
        uint32_t nsel;
        if (!sel) {
            return ctx_nomem(c);
        }
        int rc = eddy_sql_x_select(j->js->residual, &c->x, out, sel, &nsel);
        if (rc) {
            return rc;
        }
        for (uint32_t i = 0; i < nsel; i++) {
            matched[pairs[sel[i]].lrow] = 1;
        }
        if (nsel == 0) {
            eddy_arena_reset(&c->scratch);
            return 0;
        }
        if (nsel < n) {
            if (eddy_sql_chunk_gather(out, sel, nsel, &c->scratch, &sub) != 0) {
                return ctx_nomem(c);
            }
            out = &sub;
        }
    } else {
        for (uint32_t i = 0; i < n; i++) {
            matched[pairs[i].lrow] = 1;
        }
    }
    return op_emit_own(&j->base, c, out);
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
                    pairs[np++] = (jpair){r, j->rchunk[id], j->rrow[id]};
                    if (np == EDDY_SQL_CHUNK_ROWS) {
                        rc = flush(j, c, lc, pairs, np, matched);
                        np = 0;
                    }
                }
            } else {
                for (uint32_t rc2 = 0; rc2 < j->r.n && !rc; rc2++) {
                    for (uint32_t rr = 0; rr < j->r.chunks[rc2].nrows && !rc; rr++) {
                        pairs[np++] = (jpair){r, rc2, rr};
                        if (np == EDDY_SQL_CHUNK_ROWS) {
                            rc = flush(j, c, lc, pairs, np, matched);
                            np = 0;
                        }
                    }
                }
            }
        }
        if (!rc) {
            rc = flush(j, c, lc, pairs, np, matched);
        }
        if (!rc && left) {
            np = 0;
            uint8_t dummy[EDDY_SQL_CHUNK_ROWS];
            for (uint32_t r = 0; r < lc->nrows; r++) {
                if (!matched[r]) {
                    pairs[np++] = (jpair){r, UINT32_MAX, 0};
                }
            }
            rc = flush(j, c, lc, pairs, np, dummy);
        }
    }
out:
    free(keys);
    free(pairs);
    free(matched);
    eddy_buf_deinit(&kb);
    return rc;
}

static int join_finish(op *o, ctx *c, uint32_t port)
{
    op_join *j = (op_join *)o;
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
    free(j);
}

static const op_vt join_vt = {
    .name = "join",
    .push = join_push,
    .advance = op_advance_pass,
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
    eddy_arena_init(&j->l.arena, 1 << 20, 0);
    eddy_arena_init(&j->r.arena, 1 << 20, 0);
    eddy_arena_init(&j->work, 1 << 16, 0);
    eddy_map_init(&j->buckets);
    return &j->base;
}
