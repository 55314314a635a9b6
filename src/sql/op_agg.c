/* GROUP BY: keys, windows and aggregates (docs/sql-engine.md "Windows and
 * event time").
 *
 * Hash mode (no window, TumblingWindow, HoppingWindow): a row goes to the
 * group of its encoded keys and window end (a hopping row to each of its
 * windows); each group holds the states of the aggregates in one block.
 * Every worker has a table of its own; finish merges them into the first
 * (states merge: counts add, Welford variances combine, lists join) and
 * emits, windows in order of their end. advance(wm) emits the windows
 * that end at or before wm and drops rows that arrive for them later.
 *
 * Buffer mode (SlidingWindow, SessionWindow): a group (keys only) keeps
 * its rows' event times, ordinals and aggregate inputs; at finish they are
 * sorted by time and the windows computed from them, each aggregated from
 * scratch.
 *
 * Streaming (exec.streaming: one thread, advance(wm) after chunks, every
 * later row after wm): a tumbling or hopping group lives in the bin of its
 * window end (its own arena); advance emits the bins ending by wm, each
 * one's groups by key, then takes them out of the table and frees the
 * arena. A sliding or session group keeps its rows sorted, in a heap by
 * the end of its next window; advance emits, for the groups due, the
 * windows ending by wm exactly as finish would, then frees the rows no
 * later window can use. Rows for emitted windows are dropped and counted.
 *
 * Aggregates: COUNT(*), COUNT([DISTINCT] x), SUM/AVG ([DISTINCT]; float
 * sums with Neumaier compensation, bigint sums checked for overflow), MIN,
 * MAX, VAR/VARP/STDEV/STDEVP (Welford), PERCENTILE_CONT/DISC, TopOne
 * (the first row in its ORDER BY, ties to the earlier row), Collect (in
 * input order). Nulls are skipped except by COUNT(*). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/map.h"
#include "sql/exec_int.h"
#include "sql/value.h"

/* ---- small containers in an arena -------------------------------------- */

typedef struct vset {
    uint32_t cap, n;
    uint64_t *h;
    const uint8_t **k;
    uint32_t *len;
} vset;

/* Inserts key; returns 1 when new, 0 when present, -1 out of memory. */
static int vset_add(vset *s, eddy_arena *a, const uint8_t *key, uint32_t len, uint64_t h);

static int vset_grow(vset *s, eddy_arena *a)
{
    uint32_t nc = s->cap ? s->cap * 2 : 8;
    vset n = {.cap = nc, .n = 0};
    n.h = eddy_arena_calloc(a, nc, sizeof *n.h);
    n.k = eddy_arena_calloc(a, nc, sizeof *n.k);
    n.len = eddy_arena_calloc(a, nc, sizeof *n.len);
    if (!n.h || !n.k || !n.len) {
        return -1;
    }
    for (uint32_t i = 0; i < s->cap; i++) {
        if (s->k[i]) {
            uint32_t j = (uint32_t)(s->h[i] & (nc - 1));
            while (n.k[j]) {
                j = (j + 1) & (nc - 1);
            }
            n.h[j] = s->h[i];
            n.k[j] = s->k[i];
            n.len[j] = s->len[i];
            n.n++;
        }
    }
    *s = n;
    return 0;
}

static int vset_add(vset *s, eddy_arena *a, const uint8_t *key, uint32_t len, uint64_t h)
{
    if ((s->n + 1) * 2 > s->cap && vset_grow(s, a) != 0) {
        return -1;
    }
    uint32_t j = (uint32_t)(h & (s->cap - 1));
    while (s->k[j]) {
        if (s->h[j] == h && s->len[j] == len && memcmp(s->k[j], key, len) == 0) {
            return 0;
        }
        j = (j + 1) & (s->cap - 1);
    }
    uint8_t *copy = eddy_arena_memdup(a, key, len ? len : 1);
    if (!copy) {
        return -1;
    }
    s->h[j] = h;
    s->k[j] = copy;
    s->len[j] = len;
    s->n++;
    return 1;
}

typedef struct citem {
    uint64_t ord;
    eddy_sql_value v;
} citem;

typedef struct clist {
    citem *items;
    uint32_t n, cap;
} clist;

static int clist_add(clist *l, eddy_arena *a, uint64_t ord, const eddy_sql_value *v)
{
    if (l->n == l->cap) {
        uint32_t nc = l->cap ? l->cap * 2 : 4;
        citem *n = eddy_arena_alloc(a, sizeof *n * nc);
        if (!n) {
            return -1;
        }
        if (l->n) {
            memcpy(n, l->items, sizeof *n * l->n);
        }
        l->items = n;
        l->cap = nc;
    }
    l->items[l->n].ord = ord;
    if (eddy_sql_value_dup(&l->items[l->n].v, v, a) != 0) {
        return -1;
    }
    l->n++;
    return 0;
}

/* ---- aggregate states -------------------------------------------------- */

typedef struct st_sum {
    int64_t i;
    double d, comp;
    uint8_t kind; /* 0 nothing yet, 1 bigint, 2 float */
} st_sum;

typedef struct st_avg {
    double sum, comp;
    int64_t n;
} st_avg;

typedef struct st_var {
    int64_t n;
    double mean, m2;
} st_var;

typedef struct st_top {
    bool has;
    uint64_t ord;
    eddy_sql_value rec;
    eddy_sql_value keys[]; /* norder */
} st_top;

typedef struct aggdef {
    const eddy_sql_agg *a;
    uint32_t off;  /* state offset in a group's block */
    uint32_t size; /* state bytes */
    uint32_t voff; /* buffer mode: first input value of this aggregate */
} aggdef;

static bool uses_set(const eddy_sql_agg *a)
{
    return a->distinct &&
           (a->fn == EDDY_SQL_FN_COUNT || a->fn == EDDY_SQL_FN_SUM || a->fn == EDDY_SQL_FN_AVG);
}

static uint32_t state_size(const eddy_sql_agg *a)
{
    size_t s;
    if (uses_set(a)) {
        s = sizeof(vset);
    } else {
        switch (a->fn) {
        case EDDY_SQL_FN_COUNT:
            s = sizeof(int64_t);
            break;
        case EDDY_SQL_FN_SUM:
            s = sizeof(st_sum);
            break;
        case EDDY_SQL_FN_AVG:
            s = sizeof(st_avg);
            break;
        case EDDY_SQL_FN_MIN:
        case EDDY_SQL_FN_MAX:
            s = sizeof(eddy_sql_value);
            break;
        case EDDY_SQL_FN_STDEV:
        case EDDY_SQL_FN_STDEVP:
        case EDDY_SQL_FN_VAR:
        case EDDY_SQL_FN_VARP:
            s = sizeof(st_var);
            break;
        case EDDY_SQL_FN_TOPONE:
            s = sizeof(st_top) + sizeof(eddy_sql_value) * a->norder;
            break;
        default: /* percentiles, Collect */
            s = sizeof(clist);
            break;
        }
    }
    return (uint32_t)((s + 15) & ~(size_t)15);
}

static void kadd(double *sum, double *comp, double x)
{
    double t = *sum + x;
    if (fabs(*sum) >= fabs(x)) {
        *comp += (*sum - t) + x;
    } else {
        *comp += (x - t) + *sum;
    }
    *sum = t;
}

typedef struct op_agg op_agg;

static int agg_fail(op_agg *g, ctx *c, const eddy_sql_agg *a, const char *msg);

static bool num(const eddy_sql_value *v, double *d)
{
    return eddy_sql_value_num(v, d);
}

/* One row into a state. v: the argument (NULL for COUNT(*)); keys: the
 * ORDER BY values of TopOne. */
static int state_update(op_agg *g, ctx *c, const aggdef *d, uint8_t *s, const eddy_sql_value *v,
                        const eddy_sql_value *keys, uint64_t ord, eddy_arena *a)
{
    const eddy_sql_agg *ag = d->a;
    if (ag->star) {
        (*(int64_t *)s)++;
        return 0;
    }
    if (ag->fn == EDDY_SQL_FN_TOPONE) {
        st_top *t = (st_top *)s;
        bool better = !t->has;
        if (t->has) {
            int r = 0;
            for (uint32_t k = 0; k < ag->norder && r == 0; k++) {
                r = order_cmp(&keys[k], &t->keys[k], ag->desc[k]);
            }
            better = r < 0 || (r == 0 && ord < t->ord);
        }
        if (better) {
            t->has = true;
            t->ord = ord;
            if (eddy_sql_value_dup(&t->rec, v, a) != 0) {
                return ctx_nomem(c);
            }
            for (uint32_t k = 0; k < ag->norder; k++) {
                if (eddy_sql_value_dup(&t->keys[k], &keys[k], a) != 0) {
                    return ctx_nomem(c);
                }
            }
        }
        return 0;
    }
    if (v->type == EDDY_SQL_V_NULL) {
        return 0;
    }
    if (uses_set(ag)) {
        double dv;
        if (ag->fn != EDDY_SQL_FN_COUNT && !num(v, &dv)) {
            return 0;
        }
        eddy_buf kb;
        eddy_buf_init(&kb, 0);
        eddy_sql_key_put(&kb, v);
        if (kb.err) {
            eddy_buf_deinit(&kb);
            return ctx_nomem(c);
        }
        int r =
            vset_add((vset *)s, a, kb.data, (uint32_t)kb.len, eddy_hash_bytes(kb.data, kb.len, 7));
        eddy_buf_deinit(&kb);
        return r < 0 ? ctx_nomem(c) : 0;
    }
    double x;
    switch (ag->fn) {
    case EDDY_SQL_FN_COUNT:
        (*(int64_t *)s)++;
        return 0;
    case EDDY_SQL_FN_SUM: {
        st_sum *t = (st_sum *)s;
        if (v->type == EDDY_SQL_V_INT || v->type == EDDY_SQL_V_BOOL) {
            int64_t i = v->type == EDDY_SQL_V_INT ? v->i : v->b;
            if (t->kind == 2) {
                kadd(&t->d, &t->comp, (double)i);
            } else {
                t->kind = 1;
                if (__builtin_add_overflow(t->i, i, &t->i)) {
                    return agg_fail(g, c, ag, "bigint overflow in SUM");
                }
            }
        } else if (v->type == EDDY_SQL_V_DOUBLE) {
            if (t->kind == 1) {
                t->d = (double)t->i;
                t->comp = 0;
            }
            t->kind = 2;
            kadd(&t->d, &t->comp, v->d);
        }
        return 0;
    }
    case EDDY_SQL_FN_AVG: {
        st_avg *t = (st_avg *)s;
        if (num(v, &x)) {
            kadd(&t->sum, &t->comp, x);
            t->n++;
        }
        return 0;
    }
    case EDDY_SQL_FN_MIN:
    case EDDY_SQL_FN_MAX: {
        eddy_sql_value *cur = (eddy_sql_value *)s;
        int r = cur->type == EDDY_SQL_V_NULL ? 1 : eddy_sql_value_order(v, cur);
        if (cur->type == EDDY_SQL_V_NULL || (ag->fn == EDDY_SQL_FN_MIN ? r < 0 : r > 0)) {
            if (eddy_sql_value_dup(cur, v, a) != 0) {
                return ctx_nomem(c);
            }
        }
        return 0;
    }
    case EDDY_SQL_FN_STDEV:
    case EDDY_SQL_FN_STDEVP:
    case EDDY_SQL_FN_VAR:
    case EDDY_SQL_FN_VARP: {
        st_var *t = (st_var *)s;
        if (num(v, &x)) {
            t->n++;
            double delta = x - t->mean;
            t->mean += delta / (double)t->n;
            t->m2 += delta * (x - t->mean);
        }
        return 0;
    }
    case EDDY_SQL_FN_PERCENTILE_CONT:
        if (!num(v, &x)) {
            return 0;
        }
        return clist_add((clist *)s, a, ord, v) ? ctx_nomem(c) : 0;
    default: /* PERCENTILE_DISC, Collect */
        return clist_add((clist *)s, a, ord, v) ? ctx_nomem(c) : 0;
    }
}

/* src into dst (both of this aggregate). Text stays where it is: every
 * table's arena lives until the operator is freed. */
static int state_merge(op_agg *g, ctx *c, const aggdef *d, uint8_t *dst, const uint8_t *src,
                       eddy_arena *a)
{
    const eddy_sql_agg *ag = d->a;
    if (ag->star || (ag->fn == EDDY_SQL_FN_COUNT && !ag->distinct)) {
        *(int64_t *)dst += *(const int64_t *)src;
        return 0;
    }
    if (uses_set(ag)) {
        const vset *s = (const vset *)src;
        for (uint32_t i = 0; i < s->cap; i++) {
            if (s->k[i] && vset_add((vset *)dst, a, s->k[i], s->len[i], s->h[i]) < 0) {
                return ctx_nomem(c);
            }
        }
        return 0;
    }
    switch (ag->fn) {
    case EDDY_SQL_FN_SUM: {
        st_sum *t = (st_sum *)dst;
        const st_sum *o = (const st_sum *)src;
        if (o->kind == 0) {
            return 0;
        }
        if (t->kind == 0) {
            *t = *o;
            return 0;
        }
        if (t->kind == 1 && o->kind == 1) {
            if (__builtin_add_overflow(t->i, o->i, &t->i)) {
                return agg_fail(g, c, ag, "bigint overflow in SUM");
            }
            return 0;
        }
        if (t->kind == 1) {
            t->d = (double)t->i;
            t->comp = 0;
            t->kind = 2;
        }
        if (o->kind == 1) {
            kadd(&t->d, &t->comp, (double)o->i);
        } else {
            kadd(&t->d, &t->comp, o->d);
            kadd(&t->d, &t->comp, o->comp);
        }
        return 0;
    }
    case EDDY_SQL_FN_AVG: {
        st_avg *t = (st_avg *)dst;
        const st_avg *o = (const st_avg *)src;
        kadd(&t->sum, &t->comp, o->sum);
        kadd(&t->sum, &t->comp, o->comp);
        t->n += o->n;
        return 0;
    }
    case EDDY_SQL_FN_MIN:
    case EDDY_SQL_FN_MAX: {
        const eddy_sql_value *o = (const eddy_sql_value *)src;
        if (o->type == EDDY_SQL_V_NULL) {
            return 0;
        }
        return state_update(g, c, d, dst, o, NULL, 0, a);
    }
    case EDDY_SQL_FN_STDEV:
    case EDDY_SQL_FN_STDEVP:
    case EDDY_SQL_FN_VAR:
    case EDDY_SQL_FN_VARP: {
        st_var *t = (st_var *)dst;
        const st_var *o = (const st_var *)src;
        if (o->n == 0) {
            return 0;
        }
        if (t->n == 0) {
            *t = *o;
            return 0;
        }
        int64_t n = t->n + o->n;
        double delta = o->mean - t->mean;
        t->mean += delta * (double)o->n / (double)n;
        t->m2 += o->m2 + delta * delta * (double)t->n * (double)o->n / (double)n;
        t->n = n;
        return 0;
    }
    case EDDY_SQL_FN_TOPONE: {
        const st_top *o = (const st_top *)src;
        if (!o->has) {
            return 0;
        }
        return state_update(g, c, d, dst, &o->rec, o->keys, o->ord, a);
    }
    default: {
        clist *t = (clist *)dst;
        const clist *o = (const clist *)src;
        for (uint32_t i = 0; i < o->n; i++) {
            if (t->n == t->cap) {
                uint32_t nc = t->cap ? t->cap * 2 : 4;
                while (nc < t->n + o->n) {
                    nc *= 2;
                }
                citem *n = eddy_arena_alloc(a, sizeof *n * nc);
                if (!n) {
                    return ctx_nomem(c);
                }
                if (t->n) {
                    memcpy(n, t->items, sizeof *n * t->n);
                }
                t->items = n;
                t->cap = nc;
            }
            t->items[t->n++] = o->items[i];
        }
        return 0;
    }
    }
}

static int citem_ord_cmp(const void *a, const void *b)
{
    const citem *x = a, *y = b;
    return x->ord < y->ord ? -1 : x->ord > y->ord ? 1 : 0;
}

static int citem_val_cmp(const void *a, const void *b)
{
    const citem *x = a, *y = b;
    int r = eddy_sql_value_order(&x->v, &y->v);
    if (r) {
        return r;
    }
    return x->ord < y->ord ? -1 : x->ord > y->ord ? 1 : 0;
}

/* The aggregate's value; text goes to arena. */
static int state_final(ctx *c, const aggdef *d, uint8_t *s, eddy_arena *a, eddy_sql_value *res)
{
    const eddy_sql_agg *ag = d->a;
    memset(res, 0, sizeof *res);
    if (ag->star || (ag->fn == EDDY_SQL_FN_COUNT && !ag->distinct)) {
        res->type = EDDY_SQL_V_INT;
        res->i = *(const int64_t *)s;
        return 0;
    }
    if (uses_set(ag)) {
        const vset *set = (const vset *)s;
        if (ag->fn == EDDY_SQL_FN_COUNT) {
            res->type = EDDY_SQL_V_INT;
            res->i = set->n;
            return 0;
        }
        if (set->n == 0) {
            return 0;
        }
        /* sum the distinct values in a fixed order (their keys sorted) so
         * that float rounding does not depend on hashing */
        citem *items = malloc(sizeof *items * set->n);
        if (!items) {
            return ctx_nomem(c);
        }
        uint32_t k = 0;
        for (uint32_t i = 0; i < set->cap; i++) {
            if (set->k[i]) {
                const uint8_t *p = set->k[i];
                items[k].ord = 0;
                items[k++].v = eddy_sql_key_get(&p);
            }
        }
        if (k > 1) {
            qsort(items, k, sizeof *items, citem_val_cmp);
        }
        st_sum sum = {0};
        double x;
        bool ovf = false;
        for (uint32_t i = 0; i < k; i++) {
            eddy_sql_value *v = &items[i].v;
            if (v->type == EDDY_SQL_V_INT && sum.kind != 2) {
                sum.kind = 1;
                ovf |= __builtin_add_overflow(sum.i, v->i, &sum.i);
            } else if (num(v, &x)) {
                if (sum.kind == 1) {
                    sum.d = (double)sum.i;
                }
                sum.kind = 2;
                kadd(&sum.d, &sum.comp, x);
            }
        }
        free(items);
        if (ag->fn == EDDY_SQL_FN_AVG) {
            res->type = EDDY_SQL_V_DOUBLE;
            res->d = (sum.kind == 1 ? (double)sum.i : sum.d + sum.comp) / (double)k;
            return 0;
        }
        if (ovf) {
            return ctx_fail(c, EDDY_ERR_INVALID_ARG, "bigint overflow in SUM(DISTINCT ...)");
        }
        if (sum.kind == 1) {
            res->type = EDDY_SQL_V_INT;
            res->i = sum.i;
        } else {
            res->type = EDDY_SQL_V_DOUBLE;
            res->d = sum.d + sum.comp;
        }
        return 0;
    }
    switch (ag->fn) {
    case EDDY_SQL_FN_SUM: {
        const st_sum *t = (const st_sum *)s;
        if (t->kind == 1) {
            res->type = EDDY_SQL_V_INT;
            res->i = t->i;
        } else if (t->kind == 2) {
            res->type = EDDY_SQL_V_DOUBLE;
            res->d = t->d + t->comp;
        }
        return 0;
    }
    case EDDY_SQL_FN_AVG: {
        const st_avg *t = (const st_avg *)s;
        if (t->n > 0) {
            res->type = EDDY_SQL_V_DOUBLE;
            res->d = (t->sum + t->comp) / (double)t->n;
        }
        return 0;
    }
    case EDDY_SQL_FN_MIN:
    case EDDY_SQL_FN_MAX:
        *res = *(const eddy_sql_value *)s;
        return 0;
    case EDDY_SQL_FN_STDEV:
    case EDDY_SQL_FN_STDEVP:
    case EDDY_SQL_FN_VAR:
    case EDDY_SQL_FN_VARP: {
        const st_var *t = (const st_var *)s;
        bool sample = ag->fn == EDDY_SQL_FN_STDEV || ag->fn == EDDY_SQL_FN_VAR;
        int64_t den = sample ? t->n - 1 : t->n;
        if (den <= 0) {
            return 0;
        }
        double var = t->m2 / (double)den;
        if (var < 0) {
            var = 0;
        }
        res->type = EDDY_SQL_V_DOUBLE;
        res->d = ag->fn == EDDY_SQL_FN_STDEV || ag->fn == EDDY_SQL_FN_STDEVP ? sqrt(var) : var;
        return 0;
    }
    case EDDY_SQL_FN_TOPONE: {
        const st_top *t = (const st_top *)s;
        if (t->has) {
            *res = t->rec;
        }
        return 0;
    }
    case EDDY_SQL_FN_COLLECT: {
        clist *l = (clist *)s;
        if (l->n > 1) {
            qsort(l->items, l->n, sizeof *l->items, citem_ord_cmp);
        }
        eddy_buf b;
        eddy_buf_init(&b, 0);
        eddy_buf_put_u8(&b, '[');
        for (uint32_t i = 0; i < l->n; i++) {
            if (i) {
                eddy_buf_put_u8(&b, ',');
            }
            eddy_sql_value_json(&b, &l->items[i].v);
        }
        eddy_buf_put_u8(&b, ']');
        char *p = b.err ? NULL : eddy_arena_memdup(a, b.data, b.len);
        size_t len = b.len;
        eddy_buf_deinit(&b);
        if (!p) {
            return ctx_nomem(c);
        }
        res->type = EDDY_SQL_V_ARRAY;
        res->s.p = p;
        res->s.len = (uint32_t)len;
        return 0;
    }
    default: { /* percentiles */
        clist *l = (clist *)s;
        if (l->n == 0) {
            return 0;
        }
        if (l->n > 1) {
            qsort(l->items, l->n, sizeof *l->items, citem_val_cmp);
        }
        if (ag->order_desc) {
            for (uint32_t i = 0, j = l->n - 1; i < j; i++, j--) {
                citem t = l->items[i];
                l->items[i] = l->items[j];
                l->items[j] = t;
            }
        }
        double p = ag->fraction;
        if (ag->fn == EDDY_SQL_FN_PERCENTILE_DISC) {
            double pos = ceil(p * (double)l->n);
            uint32_t idx = pos < 1 ? 0 : (uint32_t)pos - 1;
            if (idx >= l->n) {
                idx = l->n - 1;
            }
            *res = l->items[idx].v;
            return 0;
        }
        double rank = p * (double)(l->n - 1);
        uint32_t lo = (uint32_t)floor(rank), hi = (uint32_t)ceil(rank);
        double a0, a1;
        num(&l->items[lo].v, &a0);
        num(&l->items[hi].v, &a1);
        res->type = EDDY_SQL_V_DOUBLE;
        res->d = a0 + (rank - (double)lo) * (a1 - a0);
        return 0;
    }
    }
}

/* ---- groups and tables ------------------------------------------------- */

typedef struct brow {
    int64_t t;
    uint64_t ord;
    eddy_sql_value vals[];
} brow;

typedef struct wbin wbin;

typedef struct group {
    uint64_t hash;
    const uint8_t *key; /* encoded keys, then the window end (8 bytes) when windowed */
    uint32_t klen;
    bool emitted;
    int64_t wend;
    uint8_t *state; /* hash mode */
    brow **rows;    /* buffer mode */
    uint32_t nrows, caprows;
    wbin *bin; /* streaming hash mode: the window's bin, whose arena holds the group */
} group;

/* Streaming, hash mode: the groups of one window end. Their headers, keys,
 * states and text live in the bin's arena, so emitting the window frees
 * them all at once. */
struct wbin {
    int64_t wend;
    eddy_arena arena;
    group **groups; /* in arrival order until emitted, then by key */
    size_t n, cap;
};

/* Streaming, buffer mode: a group with its pending rows sorted by (time,
 * ordinal), in a heap of groups by the end of their next window. The
 * group, its rows array and every row are heap blocks of their own, freed
 * when the rows are no longer in any open window. */
typedef struct sgroup {
    group g;
    int64_t next;    /* the earliest end of a window not emitted yet */
    size_t hpos;     /* in the heap; SIZE_MAX when not in it */
    uint32_t sess_n; /* session: rows[0..sess_n) are known to be one session */
    bool dirty;      /* got rows since the last advance */
} sgroup;

typedef struct slot {
    uint64_t hash;
    group *g;
} slot;

typedef struct table {
    eddy_arena arena;
    slot *slots;
    size_t cap, n;
    group **list;    /* in insertion order */
    uint64_t *lhash; /* their hashes, for partitioning without touching them */
    size_t nlist, caplist;
    eddy_buf key;
} table;

struct op_agg {
    op base;
    const eddy_sql_select_plan *sel;
    aggdef *defs;
    uint32_t ndefs;
    uint32_t block; /* state bytes per group */
    uint32_t nvals; /* buffer mode: values per row */
    bool windowed;  /* tumbling or hopping (hash mode with a window end) */
    bool buffered;  /* sliding or session */
    table *tables;  /* one per worker */
    uint32_t ntables;
    table *parts; /* parallel finish: the merged partitions */
    uint32_t nparts;
    int64_t watermark; /* rows for windows ending at or before it are late */
    bool have_wm;
    uint64_t late_dropped; /* rows dropped for windows already emitted */
    /* streaming, hash mode: the open windows by ascending end */
    wbin **bins;
    size_t nbins, capbins;
    wbin *spare[8]; /* emitted bins kept for reuse (their arena reset) */
    uint32_t nspare;
    /* streaming, buffer mode */
    sgroup **heap; /* groups with rows, min-heap by next */
    size_t nheap, capheap;
    sgroup **dirty; /* groups that got rows since the last advance */
    size_t ndirty, capdirty;
    size_t nbuffered; /* rows held */
    bool sgroups;     /* the table holds sgroups (heap blocks) */
};

static int agg_fail(op_agg *g, ctx *c, const eddy_sql_agg *a, const char *msg)
{
    const eddy_sql_plan *p = c->ex->plan;
    eddy_sql_error_set(&c->err, EDDY_ERR_INVALID_ARG, p->text, p->textlen, a->span.off, a->span.len,
                       "%s", msg);
    return EDDY_ERR_INVALID_ARG;
}

/* Rehashes t into nc slots (a power of two above its count). */
static int table_resize(table *t, size_t nc)
{
    slot *ns = calloc(nc, sizeof *ns);
    if (!ns) {
        return -1;
    }
    /* Fresh pages that probes read first map the zero page; the first
     * insert's copy-on-write fault then flushes every worker's TLB (an IPI
     * to each core). Writing each page first makes them plain pages. The
     * write is volatile: the compiler would fold a memset into calloc. */
    for (size_t off = 0; off < nc * sizeof *ns; off += 4096) {
        ((volatile char *)ns)[off] = 0;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slots[i].g) {
            size_t j = t->slots[i].hash & (nc - 1);
            while (ns[j].g) {
                j = (j + 1) & (nc - 1);
            }
            ns[j] = t->slots[i];
        }
    }
    free(t->slots);
    t->slots = ns;
    t->cap = nc;
    return 0;
}

static int table_grow(table *t)
{
    return table_resize(t, t->cap ? t->cap * 2 : 1024);
}

/* Takes g out of t's slots (streaming: its window was emitted). Linear
 * probing with backward shift: the entries after it that hashed at or
 * before its slot move up, so no tombstones are left behind. */
static void table_remove(table *t, const group *g)
{
    size_t mask = t->cap - 1, i = g->hash & mask;
    while (t->slots[i].g != g) {
        i = (i + 1) & mask;
    }
    for (size_t k = i;;) {
        k = (k + 1) & mask;
        if (!t->slots[k].g) {
            break;
        }
        size_t home = t->slots[k].hash & mask;
        /* k stays when its home lies cyclically in (i, k] */
        bool stays = i <= k ? (home > i && home <= k) : (home > i || home <= k);
        if (!stays) {
            t->slots[i] = t->slots[k];
            i = k;
        }
    }
    t->slots[i].g = NULL;
    t->slots[i].hash = 0;
    t->n--;
}

/* Halves t while it is mostly empty (streaming: memory follows the open
 * windows, not the peak). */
static int table_shrink(table *t)
{
    size_t nc = t->cap;
    while (nc > 1024 && t->n * 8 < nc) {
        nc /= 2;
    }
    return nc == t->cap ? 0 : table_resize(t, nc);
}

static group *table_lookup(table *t, const uint8_t *key, uint32_t len, uint64_t h)
{
    if (t->cap == 0) {
        return NULL;
    }
    size_t j = h & (t->cap - 1);
    while (t->slots[j].g) {
        group *g = t->slots[j].g;
        if (t->slots[j].hash == h && g->klen == len && memcmp(g->key, key, len) == 0) {
            return g;
        }
        j = (j + 1) & (t->cap - 1);
    }
    return NULL;
}

/* Puts g into t's slots only (streaming keeps no insertion list). */
static int table_put(table *t, group *g)
{
    if ((t->n + 1) * 2 > t->cap && table_grow(t) != 0) {
        return -1;
    }
    size_t j = g->hash & (t->cap - 1);
    while (t->slots[j].g) {
        j = (j + 1) & (t->cap - 1);
    }
    t->slots[j].hash = g->hash;
    t->slots[j].g = g;
    t->n++;
    return 0;
}

/* Puts g (whose key lives elsewhere or in t's arena) into t. */
static int table_insert(table *t, group *g)
{
    if (table_put(t, g) != 0) {
        return -1;
    }
    if (t->nlist == t->caplist) {
        size_t nc = t->caplist ? t->caplist * 2 : 1024;
        group **nl = realloc(t->list, sizeof *nl * nc);
        if (!nl) {
            return -1;
        }
        t->list = nl;
        uint64_t *nh = realloc(t->lhash, sizeof *nh * nc);
        if (!nh) {
            return -1;
        }
        t->lhash = nh;
        t->caplist = nc;
    }
    t->lhash[t->nlist] = g->hash;
    t->list[t->nlist++] = g;
    return 0;
}

static void init_states(op_agg *g, uint8_t *block)
{
    memset(block, 0, g->block);
}

/* The group of key in t, made when new. */
static uint64_t key_hash(const uint8_t *key, uint32_t len)
{
    return eddy_hash_bytes(key, len, 0x9E3779B97F4A7C15ULL);
}

/* The group of key (hash h) in t, made when new: header, key and the
 * aggregates' states in one block, so that a row touches adjacent lines. */
static group *table_get_h(op_agg *ga, table *t, const uint8_t *key, uint32_t len, uint64_t h,
                          int64_t wend)
{
    group *g = table_lookup(t, key, len, h);
    if (g) {
        return g;
    }
    size_t klen8 = ((size_t)len + 7) & ~(size_t)7;
    size_t block = ga->buffered ? 0 : ga->block;
    g = eddy_arena_alloc(&t->arena, sizeof *g + klen8 + block);
    if (!g) {
        return NULL;
    }
    memset(g, 0, sizeof *g);
    uint8_t *k = (uint8_t *)(g + 1);
    if (len) {
        memcpy(k, key, len);
    }
    g->hash = h;
    g->klen = len;
    g->key = k;
    g->wend = wend;
    if (!ga->buffered) {
        g->state = k + klen8;
        init_states(ga, g->state);
    }
    if (table_insert(t, g) != 0) {
        return NULL;
    }
    return g;
}

static group *table_get(op_agg *ga, table *t, const uint8_t *key, uint32_t len, int64_t wend)
{
    return table_get_h(ga, t, key, len, key_hash(key, len), wend);
}

/* ---- streaming: window bins and the buffer heap ----------------------- */

/* The arena a group's states allocate from. */
static eddy_arena *group_arena(table *t, group *gr)
{
    return gr->bin ? &gr->bin->arena : &t->arena;
}

/* The bin of window end wend, made when new (bins stay sorted by end: few
 * windows are open at once, and rows mostly go to the newest). */
static wbin *bin_get(op_agg *g, int64_t wend)
{
    size_t lo = 0, hi = g->nbins;
    if (hi && g->bins[hi - 1]->wend == wend) {
        return g->bins[hi - 1];
    }
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (g->bins[mid]->wend < wend) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < g->nbins && g->bins[lo]->wend == wend) {
        return g->bins[lo];
    }
    if (g->nbins == g->capbins) {
        size_t nc = g->capbins ? g->capbins * 2 : 16;
        wbin **nb = realloc(g->bins, sizeof *nb * nc);
        if (!nb) {
            return NULL;
        }
        g->bins = nb;
        g->capbins = nc;
    }
    wbin *b;
    if (g->nspare) {
        b = g->spare[--g->nspare];
    } else {
        b = calloc(1, sizeof *b);
        if (!b) {
            return NULL;
        }
        eddy_arena_init(&b->arena, 0, 0);
    }
    b->wend = wend;
    b->n = 0;
    memmove(g->bins + lo + 1, g->bins + lo, sizeof *g->bins * (g->nbins - lo));
    g->bins[lo] = b;
    g->nbins++;
    return b;
}

static void bin_free(wbin *b)
{
    eddy_arena_deinit(&b->arena);
    free(b->groups);
    free(b);
}

/* Frees an emitted bin's groups (out of t) and keeps the bin for reuse. */
static void bin_retire(op_agg *g, table *t, wbin *b)
{
    for (size_t i = 0; i < b->n; i++) {
        table_remove(t, b->groups[i]);
    }
    b->n = 0;
    if (g->nspare < sizeof g->spare / sizeof g->spare[0]) {
        eddy_arena_reset(&b->arena);
        g->spare[g->nspare++] = b;
        return;
    }
    bin_free(b);
}

/* Streaming hash mode: the group of key (ending in the window end) in t,
 * made in its window's bin when new. */
static group *stream_get(op_agg *ga, table *t, const uint8_t *key, uint32_t len, int64_t wend)
{
    uint64_t h = key_hash(key, len);
    group *g = table_lookup(t, key, len, h);
    if (g) {
        return g;
    }
    wbin *b = bin_get(ga, wend);
    if (!b) {
        return NULL;
    }
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 64;
        group **ng = realloc(b->groups, sizeof *ng * nc);
        if (!ng) {
            return NULL;
        }
        b->groups = ng;
        b->cap = nc;
    }
    size_t klen8 = ((size_t)len + 7) & ~(size_t)7;
    g = eddy_arena_alloc(&b->arena, sizeof *g + klen8 + ga->block);
    if (!g) {
        return NULL;
    }
    memset(g, 0, sizeof *g);
    uint8_t *k = (uint8_t *)(g + 1);
    memcpy(k, key, len);
    g->hash = h;
    g->klen = len;
    g->key = k;
    g->wend = wend;
    g->bin = b;
    g->state = k + klen8;
    init_states(ga, g->state);
    if (table_put(t, g) != 0) {
        return NULL;
    }
    b->groups[b->n++] = g;
    return g;
}

static void heap_set(op_agg *g, size_t i, sgroup *sg)
{
    g->heap[i] = sg;
    sg->hpos = i;
}

/* Restores the heap order around position i. */
static void heap_fix(op_agg *g, size_t i)
{
    sgroup *sg = g->heap[i];
    while (i > 0 && g->heap[(i - 1) / 2]->next > sg->next) {
        heap_set(g, i, g->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        int64_t best = sg->next;
        if (l < g->nheap && g->heap[l]->next < best) {
            m = l;
            best = g->heap[l]->next;
        }
        if (l + 1 < g->nheap && g->heap[l + 1]->next < best) {
            m = l + 1;
        }
        if (m == i) {
            break;
        }
        heap_set(g, i, g->heap[m]);
        i = m;
    }
    heap_set(g, i, sg);
}

static int heap_add(op_agg *g, sgroup *sg)
{
    if (sg->hpos != SIZE_MAX) {
        heap_fix(g, sg->hpos);
        return 0;
    }
    if (g->nheap == g->capheap) {
        size_t nc = g->capheap ? g->capheap * 2 : 64;
        sgroup **nh = realloc(g->heap, sizeof *nh * nc);
        if (!nh) {
            return -1;
        }
        g->heap = nh;
        g->capheap = nc;
    }
    heap_set(g, g->nheap++, sg);
    heap_fix(g, g->nheap - 1);
    return 0;
}

static void heap_del(op_agg *g, sgroup *sg)
{
    size_t i = sg->hpos;
    sg->hpos = SIZE_MAX;
    sgroup *last = g->heap[--g->nheap];
    if (i < g->nheap) {
        heap_set(g, i, last);
        heap_fix(g, i);
    }
}

static int brow_cmp(const void *a, const void *b);

/* Streaming buffer mode: a row (values with their text in the same block)
 * into its group, kept sorted by (time, ordinal). */
static int stream_buffer(op_agg *ga, table *t, const uint8_t *key, uint32_t len, int64_t tr,
                         uint64_t ord, const eddy_sql_value *vals)
{
    uint64_t h = key_hash(key, len);
    group *gr = table_lookup(t, key, len, h);
    sgroup *sg = (sgroup *)gr;
    if (!gr) {
        sg = calloc(1, sizeof *sg + (len ? len : 1));
        if (!sg) {
            return -1;
        }
        gr = &sg->g;
        uint8_t *k = (uint8_t *)(sg + 1);
        memcpy(k, key, len);
        gr->hash = h;
        gr->key = k;
        gr->klen = len;
        gr->wend = INT64_MIN;
        sg->hpos = SIZE_MAX;
        ga->sgroups = true;
        if (table_put(t, gr) != 0) {
            free(sg);
            return -1;
        }
    }
    size_t text = 0;
    for (uint32_t i = 0; i < ga->nvals; i++) {
        eddy_sql_vtype ty = vals[i].type;
        if (ty == EDDY_SQL_V_STRING || ty == EDDY_SQL_V_RECORD || ty == EDDY_SQL_V_ARRAY) {
            text += vals[i].s.len;
        }
    }
    size_t head = sizeof(brow) + sizeof(eddy_sql_value) * ga->nvals;
    brow *b = malloc(head + (text ? text : 1));
    if (!b) {
        return -1;
    }
    b->t = tr;
    b->ord = ord;
    char *p = (char *)b + head;
    for (uint32_t i = 0; i < ga->nvals; i++) {
        b->vals[i] = vals[i];
        eddy_sql_vtype ty = vals[i].type;
        if ((ty == EDDY_SQL_V_STRING || ty == EDDY_SQL_V_RECORD || ty == EDDY_SQL_V_ARRAY)) {
            if (vals[i].s.len) {
                memcpy(p, vals[i].s.p, vals[i].s.len);
            }
            b->vals[i].s.p = p;
            p += vals[i].s.len;
        }
    }
    if (gr->nrows == gr->caprows) {
        uint32_t nc = gr->caprows ? gr->caprows * 2 : 8;
        brow **nr = realloc(gr->rows, sizeof *nr * nc);
        if (!nr) {
            free(b);
            return -1;
        }
        gr->rows = nr;
        gr->caprows = nc;
    }
    /* rows mostly come in time order: search from the end */
    uint32_t at = gr->nrows;
    while (at > 0 && brow_cmp(&gr->rows[at - 1], &b) > 0) {
        at--;
    }
    memmove(gr->rows + at + 1, gr->rows + at, sizeof *gr->rows * (gr->nrows - at));
    gr->rows[at] = b;
    gr->nrows++;
    ga->nbuffered++;
    if (at < sg->sess_n) {
        sg->sess_n = at;
    }
    if (!sg->dirty) {
        if (ga->ndirty == ga->capdirty) {
            size_t nc = ga->capdirty ? ga->capdirty * 2 : 64;
            sgroup **nd = realloc(ga->dirty, sizeof *nd * nc);
            if (!nd) {
                return -1;
            }
            ga->dirty = nd;
            ga->capdirty = nc;
        }
        sg->dirty = true;
        ga->dirty[ga->ndirty++] = sg;
    }
    return 0;
}

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

/* ---- push -------------------------------------------------------------- */

typedef struct gpair {
    uint32_t row;
    group *g;
} gpair;

static int agg_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_agg *g = (op_agg *)o;
    const eddy_sql_select_plan *sel = g->sel;
    uint32_t n = in->nrows;
    if (n == 0) {
        return 0;
    }
    table *t = &g->tables[c->tid < g->ntables ? c->tid : 0];
    eddy_arena *sa = &c->scratch;
    int rc;
    /* keys, time and aggregate inputs */
    eddy_sql_vec *keys = eddy_arena_alloc(sa, sizeof *keys * (sel->nkeys + 1));
    eddy_sql_vec *args = eddy_arena_alloc(sa, sizeof *args * (g->ndefs + 1));
    eddy_sql_vec **ords = eddy_arena_alloc(sa, sizeof *ords * (g->ndefs + 1));
    if (!keys || !args || !ords) {
        return ctx_nomem(c);
    }
    for (uint32_t k = 0; k < sel->nkeys; k++) {
        if ((rc = eddy_sql_x_eval(sel->keys[k], &c->x, in, &keys[k]))) {
            return rc;
        }
    }
    for (uint32_t i = 0; i < g->ndefs; i++) {
        const eddy_sql_agg *a = g->defs[i].a;
        if (a->arg) {
            if ((rc = eddy_sql_x_eval(a->arg, &c->x, in, &args[i]))) {
                return rc;
            }
        } else {
            memset(&args[i], 0, sizeof args[i]);
            args[i].n = n;
        }
        ords[i] = NULL;
        if (a->norder) {
            ords[i] = eddy_arena_alloc(sa, sizeof **ords * a->norder);
            if (!ords[i]) {
                return ctx_nomem(c);
            }
            for (uint32_t k = 0; k < a->norder; k++) {
                if ((rc = eddy_sql_x_eval(a->order[k], &c->x, in, &ords[i][k]))) {
                    return rc;
                }
            }
        }
    }
    const eddy_sql_vec *time = &in->cols[sel->width - 1];
    bool need_time = g->windowed || g->buffered;
    /* rows to groups */
    uint32_t per_row = 1;
    int64_t size = 0, hop = 0, offset = 0;
    if (g->windowed) {
        size = sel->window.size.us;
        hop = sel->window.kind == EDDY_SQL_WINDOW_HOPPING ? sel->window.hop.us : size;
        offset = sel->window.has_offset ? sel->window.offset.us : 0;
        per_row = (uint32_t)((size + hop - 1) / hop);
    }
    gpair *pairs = eddy_arena_alloc(sa, sizeof *pairs * (size_t)n * per_row);
    if (!pairs) {
        return ctx_nomem(c);
    }
    size_t np = 0;
    eddy_buf *kb = &t->key;
    bool streaming = o->ex->streaming;
    eddy_sql_value *tmp = NULL; /* streaming buffer mode: one row's values */
    if (streaming && g->buffered) {
        tmp = eddy_arena_alloc(sa, sizeof *tmp * (g->nvals + 1));
        if (!tmp) {
            return ctx_nomem(c);
        }
    }
    if (!g->windowed && !g->buffered) {
        /* plain GROUP BY: encode and hash every row's key first, fetching
         * the slots they land on while the others are hashed, then look
         * them up (a big table's probes would each wait on memory) */
        uint32_t *koff = eddy_arena_alloc(sa, sizeof *koff * (n + 1));
        uint64_t *hs = eddy_arena_alloc(sa, sizeof *hs * n);
        if (!koff || !hs) {
            return ctx_nomem(c);
        }
        eddy_buf_reset(kb);
        for (uint32_t r = 0; r < n; r++) {
            koff[r] = (uint32_t)kb->len;
            for (uint32_t k = 0; k < sel->nkeys; k++) {
                eddy_sql_value v = eddy_sql_vec_get(&keys[k], r);
                eddy_sql_key_put(kb, &v);
            }
        }
        koff[n] = (uint32_t)kb->len;
        if (kb->err) {
            return ctx_nomem(c);
        }
        const uint8_t *kd = kb->data ? kb->data : (const uint8_t *)"";
        size_t mask = t->cap ? t->cap - 1 : 0;
        for (uint32_t r = 0; r < n; r++) {
            hs[r] = key_hash(kd + koff[r], koff[r + 1] - koff[r]);
            if (t->cap) {
                __builtin_prefetch(&t->slots[hs[r] & mask]);
            }
        }
        for (uint32_t r = 0; r < n; r++) {
            if (r + 8 < n && t->cap) {
                const slot *ahead = &t->slots[hs[r + 8] & (t->cap - 1)];
                if (ahead->g) {
                    __builtin_prefetch(ahead->g);
                }
            }
            group *gr = table_get_h(g, t, kd + koff[r], koff[r + 1] - koff[r], hs[r], INT64_MIN);
            if (!gr) {
                return ctx_nomem(c);
            }
            pairs[np].row = r;
            pairs[np++].g = gr;
        }
    }
    for (uint32_t r = 0; (g->windowed || g->buffered) && r < n; r++) {
        int64_t tr = 0;
        if (need_time) {
            eddy_sql_value tv = eddy_sql_vec_get(time, r);
            if (tv.type != EDDY_SQL_V_TIME) {
                continue; /* no event time: in no window */
            }
            tr = tv.i;
        }
        if (g->buffered && g->have_wm && tr <= g->watermark) {
            g->late_dropped++; /* every window it could be in may be emitted */
            continue;
        }
        eddy_buf_reset(kb);
        for (uint32_t k = 0; k < sel->nkeys; k++) {
            eddy_sql_value v = eddy_sql_vec_get(&keys[k], r);
            eddy_sql_key_put(kb, &v);
        }
        if (kb->err) {
            return ctx_nomem(c);
        }
        size_t base = kb->len;
        if (tmp) {
            uint32_t vo = 0;
            for (uint32_t i = 0; i < g->ndefs; i++) {
                const eddy_sql_agg *a = g->defs[i].a;
                if (a->arg) {
                    tmp[vo++] = eddy_sql_vec_get(&args[i], r);
                }
                for (uint32_t k = 0; k < a->norder; k++) {
                    tmp[vo++] = eddy_sql_vec_get(&ords[i][k], r);
                }
            }
            if (stream_buffer(g, t, kb->data ? kb->data : (const uint8_t *)"", (uint32_t)base, tr,
                              ctx_ordinal(c, r), tmp) != 0) {
                return ctx_nomem(c);
            }
            continue;
        }
        if (!g->windowed) {
            group *gr = table_get(g, t, kb->data ? kb->data : (const uint8_t *)"", (uint32_t)base,
                                  INT64_MIN);
            if (!gr) {
                return ctx_nomem(c);
            }
            if (g->buffered) {
                if (gr->nrows == gr->caprows) {
                    uint32_t nc = gr->caprows ? gr->caprows * 2 : 8;
                    brow **nr = eddy_arena_alloc(&t->arena, sizeof *nr * nc);
                    if (!nr) {
                        return ctx_nomem(c);
                    }
                    if (gr->nrows) {
                        memcpy(nr, gr->rows, sizeof *nr * gr->nrows);
                    }
                    gr->rows = nr;
                    gr->caprows = nc;
                }
                brow *b =
                    eddy_arena_alloc(&t->arena, sizeof *b + sizeof(eddy_sql_value) * g->nvals);
                if (!b) {
                    return ctx_nomem(c);
                }
                b->t = tr;
                b->ord = ctx_ordinal(c, r);
                for (uint32_t i = 0; i < g->ndefs; i++) {
                    const eddy_sql_agg *a = g->defs[i].a;
                    uint32_t vo = g->defs[i].voff;
                    if (a->arg) {
                        eddy_sql_value v = eddy_sql_vec_get(&args[i], r);
                        if (eddy_sql_value_dup(&b->vals[vo++], &v, &t->arena) != 0) {
                            return ctx_nomem(c);
                        }
                    }
                    for (uint32_t k = 0; k < a->norder; k++) {
                        eddy_sql_value v = eddy_sql_vec_get(&ords[i][k], r);
                        if (eddy_sql_value_dup(&b->vals[vo++], &v, &t->arena) != 0) {
                            return ctx_nomem(c);
                        }
                    }
                }
                gr->rows[gr->nrows++] = b;
                continue;
            }
            pairs[np].row = r;
            pairs[np++].g = gr;
            continue;
        }
        /* the windows (end - size, end] that hold tr: ends offset + k*hop */
        int64_t k0 = floordiv(tr - offset - 1, hop) + 1;
        bool late = false;
        for (int64_t k = k0;; k++) {
            int64_t end = offset + k * hop;
            if (end - size >= tr) {
                break;
            }
            if (g->have_wm && end <= g->watermark) {
                late = true; /* late for a window already emitted */
                continue;
            }
            eddy_buf_reset(kb);
            for (uint32_t kk = 0; kk < sel->nkeys; kk++) {
                eddy_sql_value v = eddy_sql_vec_get(&keys[kk], r);
                eddy_sql_key_put(kb, &v);
            }
            uint8_t *e = eddy_buf_extend(kb, 8);
            if (!e) {
                return ctx_nomem(c);
            }
            memcpy(e, &end, 8);
            group *gr = streaming ? stream_get(g, t, kb->data, (uint32_t)kb->len, end)
                                  : table_get(g, t, kb->data, (uint32_t)kb->len, end);
            if (!gr) {
                return ctx_nomem(c);
            }
            pairs[np].row = r;
            pairs[np++].g = gr;
        }
        g->late_dropped += late;
    }
    if (g->buffered) {
        return 0;
    }
    /* aggregates, typed where it pays */
    eddy_sql_value okeys[64];
    for (uint32_t i = 0; i < g->ndefs; i++) {
        const aggdef *d = &g->defs[i];
        const eddy_sql_agg *a = d->a;
        const eddy_sql_vec *v = &args[i];
        uint32_t off = d->off;
        if (a->star) {
            for (size_t p = 0; p < np; p++) {
                (*(int64_t *)(pairs[p].g->state + off))++;
            }
            continue;
        }
        if (!a->distinct && !v->constant &&
            (v->type == EDDY_SQL_V_DOUBLE || v->type == EDDY_SQL_V_INT)) {
            /* typed loops over the rows with a value */
            const gpair *use = pairs;
            size_t nuse = np;
            if (v->valid) {
                gpair *vp = eddy_arena_alloc(sa, sizeof *vp * (np ? np : 1));
                if (!vp) {
                    return ctx_nomem(c);
                }
                nuse = 0;
                for (size_t p = 0; p < np; p++) {
                    vp[nuse] = pairs[p];
                    nuse += v->valid[pairs[p].row] != 0;
                }
                use = vp;
            }
            bool isd = v->type == EDDY_SQL_V_DOUBLE;
            if (a->fn == EDDY_SQL_FN_COUNT) {
                for (size_t p = 0; p < nuse; p++) {
                    (*(int64_t *)(use[p].g->state + off))++;
                }
                continue;
            }
            if (a->fn == EDDY_SQL_FN_AVG) {
                for (size_t p = 0; p < nuse; p++) {
                    st_avg *s = (st_avg *)(use[p].g->state + off);
                    double x = isd ? v->d[use[p].row] : (double)v->i[use[p].row];
                    kadd(&s->sum, &s->comp, x);
                    s->n++;
                }
                continue;
            }
            if (a->fn == EDDY_SQL_FN_SUM && isd) {
                for (size_t p = 0; p < nuse; p++) {
                    st_sum *s = (st_sum *)(use[p].g->state + off);
                    if (s->kind == 1) {
                        s->d = (double)s->i;
                        s->comp = 0;
                    }
                    s->kind = 2;
                    kadd(&s->d, &s->comp, v->d[use[p].row]);
                }
                continue;
            }
            if (a->fn == EDDY_SQL_FN_SUM) {
                bool ok = true;
                for (size_t p = 0; p < nuse; p++) {
                    st_sum *s = (st_sum *)(use[p].g->state + off);
                    if (s->kind == 2) {
                        kadd(&s->d, &s->comp, (double)v->i[use[p].row]);
                    } else {
                        s->kind = 1;
                        ok &= !__builtin_add_overflow(s->i, v->i[use[p].row], &s->i);
                    }
                }
                if (!ok) {
                    return agg_fail(g, c, a, "bigint overflow in SUM");
                }
                continue;
            }
            if ((a->fn == EDDY_SQL_FN_MIN || a->fn == EDDY_SQL_FN_MAX) && isd) {
                bool mn = a->fn == EDDY_SQL_FN_MIN;
                for (size_t p = 0; p < nuse; p++) {
                    eddy_sql_value *s = (eddy_sql_value *)(use[p].g->state + off);
                    double x = v->d[use[p].row];
                    if (s->type == EDDY_SQL_V_DOUBLE && !isnan(x) && !isnan(s->d)) {
                        if (mn ? x < s->d : x > s->d) {
                            s->d = x;
                        }
                        continue;
                    }
                    eddy_sql_value xv = {.type = EDDY_SQL_V_DOUBLE, .d = x};
                    if ((rc = state_update(g, c, d, (uint8_t *)s, &xv, NULL, 0,
                                           group_arena(t, use[p].g)))) {
                        return rc;
                    }
                }
                continue;
            }
            if (a->fn == EDDY_SQL_FN_MIN || a->fn == EDDY_SQL_FN_MAX) {
                bool mn = a->fn == EDDY_SQL_FN_MIN;
                for (size_t p = 0; p < nuse; p++) {
                    eddy_sql_value *s = (eddy_sql_value *)(use[p].g->state + off);
                    int64_t x = v->i[use[p].row];
                    if (s->type == EDDY_SQL_V_INT) {
                        if (mn ? x < s->i : x > s->i) {
                            s->i = x;
                        }
                        continue;
                    }
                    eddy_sql_value xv = {.type = EDDY_SQL_V_INT, .i = x};
                    if ((rc = state_update(g, c, d, (uint8_t *)s, &xv, NULL, 0,
                                           group_arena(t, use[p].g)))) {
                        return rc;
                    }
                }
                continue;
            }
        }
        if (a->norder > 64) {
            return agg_fail(g, c, a, "at most 64 ORDER BY values");
        }
        for (size_t p = 0; p < np; p++) {
            uint32_t r = pairs[p].row;
            eddy_sql_value val = a->arg ? eddy_sql_vec_get(v, r) : (eddy_sql_value){0};
            for (uint32_t k = 0; k < a->norder; k++) {
                okeys[k] = eddy_sql_vec_get(&ords[i][k], r);
            }
            if ((rc = state_update(g, c, d, pairs[p].g->state + off, &val, okeys, ctx_ordinal(c, r),
                                   group_arena(t, pairs[p].g)))) {
                return rc;
            }
        }
    }
    return 0;
}

/* ---- output ------------------------------------------------------------ */

typedef struct emitter {
    rowbuild rb;
    uint32_t n;
    bool open;
    bool part; /* a worker emits a partition (op_emit_part) */
} emitter;

static int emit_flush(op_agg *g, ctx *c, emitter *e)
{
    if (!e->open || e->n == 0) {
        return 0;
    }
    if (rowbuild_finish(&e->rb, e->n) != 0) {
        return ctx_nomem(c);
    }
    e->open = false;
    int rc =
        e->part ? op_emit_part(&g->base, c, &e->rb.chunk) : op_emit_own(&g->base, c, &e->rb.chunk);
    e->n = 0;
    return rc;
}

/* One output row: keys, window end, aggregates (finalized from block). */
static int emit_row(op_agg *g, ctx *c, emitter *e, const group *gr, bool has_end, int64_t wend,
                    uint8_t *block)
{
    const eddy_sql_select_plan *sel = g->sel;
    uint32_t ncols = sel->nkeys + 1 + g->ndefs;
    if (!e->open) {
        if (rowbuild_init(&e->rb, ncols, &c->scratch) != 0) {
            return ctx_nomem(c);
        }
        e->open = true;
        e->n = 0;
    }
    const uint8_t *p = gr->key;
    for (uint32_t k = 0; k < sel->nkeys; k++) {
        eddy_sql_value v = eddy_sql_key_get(&p);
        rowbuild_set(&e->rb, k, e->n, &v);
    }
    eddy_sql_value end = {.type = has_end ? EDDY_SQL_V_TIME : EDDY_SQL_V_NULL, .i = wend};
    rowbuild_set(&e->rb, sel->nkeys, e->n, &end);
    for (uint32_t i = 0; i < g->ndefs; i++) {
        eddy_sql_value v;
        int rc = state_final(c, &g->defs[i], block + g->defs[i].off, &c->scratch, &v);
        if (rc) {
            return rc;
        }
        /* block may be a window's scratch state, gone before the chunk is */
        if (eddy_sql_value_dup(&v, &v, &c->scratch) != 0) {
            return ctx_nomem(c);
        }
        rowbuild_set(&e->rb, sel->nkeys + 1 + i, e->n, &v);
    }
    e->n++;
    if (e->n == EDDY_SQL_CHUNK_ROWS) {
        return emit_flush(g, c, e);
    }
    return 0;
}

/* Merges group gr (of another table) into t: adopted when new, else its
 * states (or rows) added to t's group. */
static int merge_group(op_agg *g, ctx *c, table *t, group *gr)
{
    group *m = table_lookup(t, gr->key, gr->klen, gr->hash);
    if (!m) {
        return table_insert(t, gr) != 0 ? ctx_nomem(c) : 0;
    }
    if (g->buffered) {
        uint32_t total = m->nrows + gr->nrows;
        brow **nr = eddy_arena_alloc(&t->arena, sizeof *nr * (total ? total : 1));
        if (!nr) {
            return ctx_nomem(c);
        }
        if (m->nrows) {
            memcpy(nr, m->rows, sizeof *nr * m->nrows);
        }
        if (gr->nrows) {
            memcpy(nr + m->nrows, gr->rows, sizeof *nr * gr->nrows);
        }
        m->rows = nr;
        m->nrows = m->caprows = total;
        return 0;
    }
    for (uint32_t d = 0; d < g->ndefs; d++) {
        int rc = state_merge(g, c, &g->defs[d], m->state + g->defs[d].off,
                             gr->state + g->defs[d].off, &t->arena);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* Merges every worker's table into the first one. */
static int merge_tables(op_agg *g, ctx *c)
{
    table *t0 = &g->tables[0];
    for (uint32_t ti = 1; ti < g->ntables; ti++) {
        table *t = &g->tables[ti];
        for (size_t i = 0; i < t->nlist; i++) {
            group *gr = t->list[i];
            if (i + 8 < t->nlist && t0->cap) {
                __builtin_prefetch(&t0->slots[t->list[i + 8]->hash & (t0->cap - 1)]);
            }
            if (gr->emitted) {
                continue;
            }
            int rc = merge_group(g, c, t0, gr);
            if (rc) {
                return rc;
            }
        }
        /* t's groups now belong to t0 (their memory stays in t's arena) */
        t->nlist = 0;
        t->n = 0;
        if (t->slots) {
            memset(t->slots, 0, sizeof *t->slots * t->cap);
        }
    }
    return 0;
}

typedef struct ready_item {
    group *g;
    size_t seq;
} ready_item;

static int ready_cmp(const void *a, const void *b)
{
    const ready_item *x = a, *y = b;
    if (x->g->wend != y->g->wend) {
        return x->g->wend < y->g->wend ? -1 : 1;
    }
    return x->seq < y->seq ? -1 : x->seq > y->seq ? 1 : 0;
}

static int brow_cmp(const void *a, const void *b)
{
    const brow *x = *(brow *const *)a, *y = *(brow *const *)b;
    if (x->t != y->t) {
        return x->t < y->t ? -1 : 1;
    }
    return x->ord < y->ord ? -1 : x->ord > y->ord ? 1 : 0;
}

/* Aggregates rows[lo..hi) into a fresh block and emits one row. */
static int emit_window(op_agg *g, ctx *c, emitter *e, const group *gr, brow **rows, uint32_t lo,
                       uint32_t hi, int64_t wend, eddy_arena *work)
{
    uint8_t *block = eddy_arena_alloc(work, g->block ? g->block : 16);
    if (!block) {
        return ctx_nomem(c);
    }
    init_states(g, block);
    for (uint32_t i = lo; i < hi; i++) {
        const brow *b = rows[i];
        for (uint32_t d = 0; d < g->ndefs; d++) {
            const aggdef *def = &g->defs[d];
            const eddy_sql_agg *a = def->a;
            const eddy_sql_value *v = a->arg ? &b->vals[def->voff] : NULL;
            eddy_sql_value none = {0};
            const eddy_sql_value *keys = &b->vals[def->voff + (a->arg ? 1 : 0)];
            int rc = state_update(g, c, def, block + def->off, v ? v : &none, keys, b->ord, work);
            if (rc) {
                return rc;
            }
        }
    }
    return emit_row(g, c, e, gr, true, wend, block);
}

static int i64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

static int emit_buffered(op_agg *g, ctx *c, emitter *e)
{
    table *t0 = &g->tables[0];
    const eddy_sql_window *w = &g->sel->window;
    eddy_arena work;
    eddy_arena_init(&work, 1 << 16, 0);
    int rc = 0;
    for (size_t gi = 0; gi < t0->nlist && !rc; gi++) {
        group *gr = t0->list[gi];
        if (gr->nrows > 1) {
            qsort(gr->rows, gr->nrows, sizeof *gr->rows, brow_cmp);
        }
        brow **rows = gr->rows;
        uint32_t n = gr->nrows;
        if (w->kind == EDDY_SQL_WINDOW_SESSION) {
            int64_t timeout = w->size.us, max = w->max.us;
            uint32_t start = 0;
            for (uint32_t i = 1; i <= n && !rc; i++) {
                int64_t s0 = rows[start]->t, last = rows[i - 1]->t;
                bool cut = i == n || rows[i]->t - last > timeout || rows[i]->t > s0 + max;
                if (!cut) {
                    continue;
                }
                int64_t end = last + timeout < s0 + max ? last + timeout : s0 + max;
                eddy_arena_reset(&work);
                rc = emit_window(g, c, e, gr, rows, start, i, end, &work);
                start = i;
            }
        } else {
            /* sliding: a window ends at every entry and every exit */
            int64_t size = w->size.us;
            int64_t *ends = malloc(sizeof *ends * 2 * (n ? n : 1));
            if (!ends) {
                rc = ctx_nomem(c);
                break;
            }
            for (uint32_t i = 0; i < n; i++) {
                ends[2 * i] = rows[i]->t;
                ends[2 * i + 1] = rows[i]->t + size;
            }
            if (2 * (size_t)n > 1) {
                qsort(ends, 2 * (size_t)n, sizeof *ends, i64_cmp);
            }
            uint32_t lo = 0, hi = 0;
            for (uint32_t k = 0; k < 2 * n && !rc; k++) {
                if (k > 0 && ends[k] == ends[k - 1]) {
                    continue;
                }
                int64_t end = ends[k];
                while (hi < n && rows[hi]->t <= end) {
                    hi++;
                }
                while (lo < hi && rows[lo]->t <= end - size) {
                    lo++;
                }
                if (lo < hi) {
                    eddy_arena_reset(&work);
                    rc = emit_window(g, c, e, gr, rows, lo, hi, end, &work);
                }
            }
            free(ends);
        }
    }
    eddy_arena_deinit(&work);
    return rc;
}

/* Emits the groups of windows ending at or before wm (all with
 * INT64_MAX), windows in order of their end. */
static int emit_hash(op_agg *g, ctx *c, emitter *e, int64_t wm)
{
    table *t0 = &g->tables[0];
    if (!g->windowed) {
        for (size_t i = 0; i < t0->nlist; i++) {
            group *gr = t0->list[i];
            if (gr->emitted) {
                continue;
            }
            gr->emitted = true;
            int rc = emit_row(g, c, e, gr, false, 0, gr->state);
            if (rc) {
                return rc;
            }
        }
        return 0;
    }
    ready_item *ready = malloc(sizeof *ready * (t0->nlist ? t0->nlist : 1));
    if (!ready) {
        return ctx_nomem(c);
    }
    size_t nr = 0;
    for (size_t i = 0; i < t0->nlist; i++) {
        group *gr = t0->list[i];
        if (!gr->emitted && gr->wend <= wm) {
            ready[nr].g = gr;
            ready[nr++].seq = i;
        }
    }
    /* windows in order of their end; within one, groups as first seen */
    if (nr > 1) {
        qsort(ready, nr, sizeof *ready, ready_cmp);
    }
    int rc = 0;
    for (size_t i = 0; i < nr && !rc; i++) {
        ready[i].g->emitted = true;
        rc = emit_row(g, c, e, ready[i].g, true, ready[i].g->wend, ready[i].g->state);
    }
    free(ready);
    return rc;
}

/* ---- streaming emission ----------------------------------------------- */

/* Canonical order within one window end: by encoded key bytes, then length
 * (sfx: the window end's 8 bytes after a hash-mode key). */
static int key_cmp(const group *x, const group *y, uint32_t sfx)
{
    uint32_t lx = x->klen - sfx, ly = y->klen - sfx;
    int r = memcmp(x->key, y->key, lx < ly ? lx : ly);
    if (r) {
        return r;
    }
    return lx < ly ? -1 : lx > ly ? 1 : 0;
}

static int bin_group_cmp(const void *a, const void *b)
{
    return key_cmp(*(group *const *)a, *(group *const *)b, 8);
}

/* Streaming hash mode: emits the windows ending at or before wm (bins in
 * order of their end, each one's groups by key), then frees their groups.
 * Costs nothing when the first open window ends after wm. */
static int stream_emit_hash(op_agg *g, ctx *c, int64_t wm)
{
    size_t k = 0;
    while (k < g->nbins && g->bins[k]->wend <= wm) {
        k++;
    }
    if (k == 0) {
        return 0;
    }
    emitter e = {0};
    int rc = 0;
    for (size_t i = 0; i < k && !rc; i++) {
        wbin *b = g->bins[i];
        if (b->n > 1) {
            qsort(b->groups, b->n, sizeof *b->groups, bin_group_cmp);
        }
        for (size_t j = 0; j < b->n && !rc; j++) {
            group *gr = b->groups[j];
            gr->emitted = true;
            rc = emit_row(g, c, &e, gr, true, gr->wend, gr->state);
        }
    }
    if (!rc) {
        rc = emit_flush(g, c, &e);
    }
    /* the rows went on (keys included): the groups can go */
    table *t = &g->tables[0];
    for (size_t i = 0; i < k; i++) {
        bin_retire(g, t, g->bins[i]);
    }
    memmove(g->bins, g->bins + k, sizeof *g->bins * (g->nbins - k));
    g->nbins -= k;
    if (!rc && table_shrink(t) != 0) {
        rc = ctx_nomem(c);
    }
    return rc;
}

/* One window of a buffered group: rows[lo..hi) of the group, ending at end. */
typedef struct witem {
    int64_t end;
    group *g;
    uint32_t lo, hi;
} witem;

static int witem_cmp(const void *a, const void *b)
{
    const witem *x = a, *y = b;
    if (x->end != y->end) {
        return x->end < y->end ? -1 : 1;
    }
    return key_cmp(x->g, y->g, 0);
}

/* The session starting at rows[start] (rows[start..from) known to be in
 * it): returns the index past its last row, *end its end. The cut rule is
 * emit_buffered's. */
static uint32_t session_cut(brow **rows, uint32_t n, uint32_t start, uint32_t from, int64_t timeout,
                            int64_t max, int64_t *end)
{
    int64_t s0 = rows[start]->t;
    uint32_t i = from > start + 1 ? from : start + 1;
    while (i < n && rows[i]->t - rows[i - 1]->t <= timeout && rows[i]->t <= s0 + max) {
        i++;
    }
    int64_t last = rows[i - 1]->t;
    *end = last + timeout < s0 + max ? last + timeout : s0 + max;
    return i;
}

/* The first of rows (sorted by time) with a time after t. */
static uint32_t first_after(brow **rows, uint32_t n, int64_t t)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (rows[mid]->t <= t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The end of sg's next window after the watermark, from the rows it holds
 * (a later row may only move it: dirty groups are looked at again). */
static int64_t group_next(op_agg *g, sgroup *sg)
{
    const eddy_sql_window *w = &g->sel->window;
    brow **rows = sg->g.rows;
    uint32_t n = sg->g.nrows;
    if (w->kind == EDDY_SQL_WINDOW_SESSION) {
        int64_t end;
        sg->sess_n = session_cut(rows, n, 0, sg->sess_n, w->size.us, w->max.us, &end);
        return end;
    }
    /* sliding: the first entry after the watermark, or the first exit
     * (every row held entered after wm - size, so exits after wm) */
    int64_t t0 = rows[0]->t;
    if (!g->have_wm || t0 > g->watermark) {
        return t0;
    }
    uint32_t lo = first_after(rows, n, g->watermark);
    int64_t next = t0 + w->size.us;
    return lo < n && rows[lo]->t < next ? rows[lo]->t : next;
}

static int witem_add(witem **items, size_t *n, size_t *cap, int64_t end, group *gr, uint32_t lo,
                     uint32_t hi)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        witem *ni = realloc(*items, sizeof *ni * nc);
        if (!ni) {
            return -1;
        }
        *items = ni;
        *cap = nc;
    }
    (*items)[(*n)++] = (witem){.end = end, .g = gr, .lo = lo, .hi = hi};
    return 0;
}

/* The windows of sg ending in (watermark, wm], as emit_buffered computes
 * them over all rows; *drop: how many leading rows no later window uses. */
static int group_windows(op_agg *g, sgroup *sg, int64_t wm, witem **items, size_t *n, size_t *cap,
                         uint32_t *drop)
{
    const eddy_sql_window *w = &g->sel->window;
    group *gr = &sg->g;
    brow **rows = gr->rows;
    uint32_t nr = gr->nrows;
    if (w->kind == EDDY_SQL_WINDOW_SESSION) {
        uint32_t start = 0, from = sg->sess_n;
        while (start < nr) {
            int64_t end;
            uint32_t i = session_cut(rows, nr, start, from, w->size.us, w->max.us, &end);
            if (end > wm) {
                break;
            }
            if (witem_add(items, n, cap, end, gr, start, i) != 0) {
                return -1;
            }
            start = i;
            from = 0;
        }
        *drop = start;
        return 0;
    }
    /* sliding: ends at every entry and exit in (wm0, wm], merged in order.
     * The rows held entered after wm0 - size (exits after wm0): lo and ix
     * pass over rows to be dropped, ie and hi over rows entering, so the
     * cost follows the rows that change, not the window's size. */
    int64_t size = w->size.us;
    uint32_t ie = g->have_wm ? first_after(rows, nr, g->watermark) : 0, ix = 0, lo = 0, hi = ie;
    while (g->have_wm && ix < nr && rows[ix]->t + size <= g->watermark) {
        ix++;
    }
    for (;;) {
        bool e1 = ie < nr && rows[ie]->t <= wm, e2 = ix < nr && rows[ix]->t + size <= wm;
        if (!e1 && !e2) {
            break;
        }
        int64_t end =
            !e2 || (e1 && rows[ie]->t < rows[ix]->t + size) ? rows[ie]->t : rows[ix]->t + size;
        while (ie < nr && rows[ie]->t == end) {
            ie++;
        }
        while (ix < nr && rows[ix]->t + size == end) {
            ix++;
        }
        while (hi < nr && rows[hi]->t <= end) {
            hi++;
        }
        while (lo < hi && rows[lo]->t <= end - size) {
            lo++;
        }
        if (lo < hi && witem_add(items, n, cap, end, gr, lo, hi) != 0) {
            return -1;
        }
    }
    uint32_t d = 0;
    while (d < nr && rows[d]->t + size <= wm) {
        d++;
    }
    *drop = d;
    return 0;
}

/* Streaming buffer mode: emits every window ending in (watermark, wm] of
 * the groups whose next window ends by wm (windows by end, then by key),
 * then frees the rows no later window uses and the groups left empty. */
static int stream_emit_buffer(op_agg *g, ctx *c, int64_t wm)
{
    int rc = 0;
    for (size_t i = 0; i < g->ndirty && !rc; i++) {
        sgroup *sg = g->dirty[i];
        sg->dirty = false;
        sg->next = group_next(g, sg);
        rc = heap_add(g, sg) != 0 ? ctx_nomem(c) : 0;
    }
    g->ndirty = 0;
    if (rc || g->nheap == 0 || g->heap[0]->next > wm) {
        return rc;
    }
    size_t nwork = 0, capwork = 0, nitems = 0, capitems = 0;
    sgroup **work = NULL;
    uint32_t *drop = NULL;
    witem *items = NULL;
    while (g->nheap && g->heap[0]->next <= wm) {
        if (nwork == capwork) {
            capwork = capwork ? capwork * 2 : 64;
            sgroup **nw = realloc(work, sizeof *nw * capwork);
            uint32_t *nd = nw ? realloc(drop, sizeof *nd * capwork) : NULL;
            if (nw) {
                work = nw;
            }
            if (!nw || !nd) {
                rc = ctx_nomem(c);
                goto out;
            }
            drop = nd;
        }
        sgroup *sg = g->heap[0];
        heap_del(g, sg);
        work[nwork] = sg;
        drop[nwork] = 0;
        nwork++;
    }
    for (size_t i = 0; i < nwork; i++) {
        if (group_windows(g, work[i], wm, &items, &nitems, &capitems, &drop[i]) != 0) {
            rc = ctx_nomem(c);
            goto out;
        }
    }
    if (nitems > 1) {
        qsort(items, nitems, sizeof *items, witem_cmp);
    }
    emitter e = {0};
    eddy_arena arena;
    eddy_arena_init(&arena, 1 << 16, 0);
    for (size_t i = 0; i < nitems && !rc; i++) {
        eddy_arena_reset(&arena);
        rc = emit_window(g, c, &e, items[i].g, items[i].g->rows, items[i].lo, items[i].hi,
                         items[i].end, &arena);
    }
    if (!rc) {
        rc = emit_flush(g, c, &e);
    }
    eddy_arena_deinit(&arena);
out:
    if (!g->have_wm || wm > g->watermark) {
        g->watermark = wm;
        g->have_wm = true;
    }
    /* retire: rows before every open window, then groups left empty */
    table *t = &g->tables[0];
    for (size_t i = 0; i < nwork; i++) {
        sgroup *sg = work[i];
        group *gr = &sg->g;
        uint32_t d = drop[i];
        for (uint32_t k = 0; k < d; k++) {
            free(gr->rows[k]);
        }
        memmove(gr->rows, gr->rows + d, sizeof *gr->rows * (gr->nrows - d));
        gr->nrows -= d;
        g->nbuffered -= d;
        if (d) {
            sg->sess_n = 0;
        }
        if (gr->nrows == 0) {
            table_remove(t, gr);
            free(gr->rows);
            free(sg);
            continue;
        }
        sg->next = group_next(g, sg);
        if (!rc && heap_add(g, sg) != 0) {
            rc = ctx_nomem(c);
        }
    }
    if (!rc && table_shrink(t) != 0) {
        rc = ctx_nomem(c);
    }
    free(work);
    free(drop);
    free(items);
    return rc;
}

static int agg_advance(op *o, ctx *c, int64_t wm)
{
    op_agg *g = (op_agg *)o;
    if (o->ex->streaming && (g->windowed || g->buffered)) {
        int rc = g->windowed ? stream_emit_hash(g, c, wm) : stream_emit_buffer(g, c, wm);
        if (rc) {
            return rc;
        }
        if (!g->have_wm || wm > g->watermark) {
            g->watermark = wm;
            g->have_wm = true;
        }
        return op_emit_advance(o, c, wm);
    }
    if (o->ex->streaming) {
        /* a GROUP BY without a window emits at finish, rows of any time:
         * the watermark stops here (downstream must not think them past) */
        return 0;
    }
    int rc = merge_tables(g, c);
    if (rc) {
        return rc;
    }
    if (g->windowed) {
        emitter e = {0};
        if ((rc = emit_hash(g, c, &e, wm)) || (rc = emit_flush(g, c, &e))) {
            return rc;
        }
        if (!g->have_wm || wm > g->watermark) {
            g->watermark = wm;
            g->have_wm = true;
        }
    }
    return op_emit_advance(o, c, wm);
}

/* ---- parallel finish of a plain GROUP BY ------------------------------- */

/* Groups below this stay on one thread: merging and emitting them is
 * cheaper than starting threads. */
#define PARALLEL_GROUPS 16384

typedef struct pjob {
    op_agg *g;
    uint32_t j, n;
    ctx c;
    int rc;
    pthread_t thread;
} pjob;

/* Worker j of n: merges the groups whose hash falls in partition j from
 * every worker's table into its own, then emits them as part j. */
static void *pjob_run(void *arg)
{
    pjob *pj = arg;
    op_agg *g = pj->g;
    ctx *c = &pj->c;
    table *d = &g->parts[pj->j];
    c->worker = true;
    c->part = pj->j;
    c->chunkno = 0;
    int rc = 0;
    /* size the partition's table once: growing it would rehash */
    size_t mine = 0;
    for (uint32_t ti = 0; ti < g->ntables; ti++) {
        const table *t = &g->tables[ti];
        for (size_t i = 0; i < t->nlist; i++) {
            mine += (t->lhash[i] >> 40) % pj->n == pj->j;
        }
    }
    while (d->cap < mine * 2 && !rc) {
        rc = table_grow(d) != 0 ? ctx_nomem(c) : 0;
    }
    for (uint32_t ti = 0; ti < g->ntables && !rc; ti++) {
        table *t = &g->tables[ti];
        size_t mask = d->cap - 1;
        for (size_t i = 0; i < t->nlist && !rc; i++) {
            /* fetch ahead: the slot 16 groups on, the group in the slot 8 on */
            if (i + 16 < t->nlist && d->cap) {
                __builtin_prefetch(&d->slots[t->lhash[i + 16] & mask]);
            }
            if (i + 8 < t->nlist && d->cap) {
                const slot *ahead = &d->slots[t->lhash[i + 8] & mask];
                if (ahead->g) {
                    __builtin_prefetch(ahead->g);
                }
                __builtin_prefetch(t->list[i + 8]);
            }
            if ((t->lhash[i] >> 40) % pj->n != pj->j) {
                continue;
            }
            /* the first table's groups are distinct: no lookup needed */
            rc = ti == 0 ? (table_insert(d, t->list[i]) != 0 ? ctx_nomem(c) : 0)
                         : merge_group(g, c, d, t->list[i]);
        }
    }
    emitter e = {.part = true};
    for (size_t i = 0; i < d->nlist && !rc; i++) {
        group *gr = d->list[i];
        gr->emitted = true;
        rc = emit_row(g, c, &e, gr, false, 0, gr->state);
    }
    if (!rc) {
        rc = emit_flush(g, c, &e);
    }
    if (!rc) {
        rc = op_part_end(c);
    }
    c->worker = false;
    if (rc) {
        exec_fail(c->ex, &c->err);
    }
    pj->rc = rc;
    return NULL;
}

static int finish_parallel(op_agg *g, ctx *c)
{
    uint32_t n = g->ntables;
    g->parts = calloc(n, sizeof *g->parts);
    pjob *jobs = calloc(n, sizeof *jobs);
    if (!g->parts || !jobs) {
        free(jobs);
        return ctx_nomem(c);
    }
    g->nparts = n;
    for (uint32_t j = 0; j < n; j++) {
        eddy_arena_init(&g->parts[j].arena, 1 << 16, 0);
        eddy_buf_init(&g->parts[j].key, 0);
    }
    uint32_t started = 0;
    for (uint32_t j = 0; j < n; j++) {
        jobs[j].g = g;
        jobs[j].j = j;
        jobs[j].n = n;
        ctx_init(&jobs[j].c, c->ex, j);
        if (pthread_create(&jobs[j].thread, NULL, pjob_run, &jobs[j]) != 0) {
            pjob_run(&jobs[j]); /* no thread: do it here */
            ctx_deinit(&jobs[j].c);
            jobs[j].c.ex = NULL;
            continue;
        }
        started++;
    }
    int rc = 0;
    for (uint32_t j = 0; j < n; j++) {
        if (jobs[j].c.ex) {
            pthread_join(jobs[j].thread, NULL);
            ctx_deinit(&jobs[j].c);
        }
        if (jobs[j].rc && !rc) {
            rc = jobs[j].rc;
        }
    }
    (void)started;
    free(jobs);
    return rc;
}

static int agg_finish(op *o, ctx *c, uint32_t port)
{
    op_agg *g = (op_agg *)o;
    if (!op_all_finished(o)) {
        return 0;
    }
    int rc;
    if (o->ex->streaming && (g->windowed || g->buffered)) {
        /* the end of a bounded run: every window closes */
        rc = g->windowed ? stream_emit_hash(g, c, INT64_MAX) : stream_emit_buffer(g, c, INT64_MAX);
        return rc ? rc : op_emit_finish(o, c);
    }
    if (g->base.par_out && g->ntables > 1) {
        size_t total = 0;
        for (uint32_t i = 0; i < g->ntables; i++) {
            total += g->tables[i].nlist;
        }
        if (total >= PARALLEL_GROUPS) {
            if ((rc = finish_parallel(g, c))) {
                return rc;
            }
            return op_emit_finish(o, c);
        }
    }
    if ((rc = merge_tables(g, c))) {
        return rc;
    }
    emitter e = {0};
    const eddy_sql_select_plan *sel = g->sel;
    if (g->buffered) {
        rc = emit_buffered(g, c, &e);
    } else if (!g->windowed && sel->nkeys == 0 && g->tables[0].nlist == 0) {
        /* an aggregate over no rows: one row (COUNT(*) = 0) */
        group none = {.key = (const uint8_t *)"", .klen = 0};
        uint8_t *block = eddy_arena_alloc(&g->tables[0].arena, g->block ? g->block : 16);
        if (!block) {
            return ctx_nomem(c);
        }
        init_states(g, block);
        rc = emit_row(g, c, &e, &none, false, 0, block);
    } else {
        rc = emit_hash(g, c, &e, INT64_MAX);
    }
    if (rc || (rc = emit_flush(g, c, &e))) {
        return rc;
    }
    return op_emit_finish(o, c);
}

static void agg_free(op *o)
{
    op_agg *g = (op_agg *)o;
    for (uint32_t i = 0; g->sgroups && i < g->ntables; i++) {
        table *t = &g->tables[i];
        for (size_t j = 0; j < t->cap; j++) {
            group *gr = t->slots[j].g;
            if (gr) {
                for (uint32_t k = 0; k < gr->nrows; k++) {
                    free(gr->rows[k]);
                }
                free(gr->rows);
                free(gr);
            }
        }
    }
    for (size_t i = 0; i < g->nbins; i++) {
        bin_free(g->bins[i]);
    }
    for (uint32_t i = 0; i < g->nspare; i++) {
        bin_free(g->spare[i]);
    }
    free(g->bins);
    free(g->heap);
    free(g->dirty);
    for (uint32_t i = 0; i < g->ntables; i++) {
        eddy_arena_deinit(&g->tables[i].arena);
        free(g->tables[i].slots);
        free(g->tables[i].list);
        free(g->tables[i].lhash);
        eddy_buf_deinit(&g->tables[i].key);
    }
    free(g->tables);
    for (uint32_t i = 0; i < g->nparts; i++) {
        eddy_arena_deinit(&g->parts[i].arena);
        free(g->parts[i].slots);
        free(g->parts[i].list);
        free(g->parts[i].lhash);
        eddy_buf_deinit(&g->parts[i].key);
    }
    free(g->parts);
    free(g->defs);
    free(g);
}

static const op_vt agg_vt = {
    .name = "aggregate",
    .push = agg_push,
    .advance = agg_advance,
    .finish = agg_finish,
    .free = agg_free,
    .par_in = true,
    .stateless = false,
};

op *op_aggregate_new(exec *ex, const eddy_sql_select_plan *sel)
{
    op_agg *g = (op_agg *)op_new(ex, sizeof *g, &agg_vt, 1);
    if (!g) {
        return NULL;
    }
    g->sel = sel;
    g->ndefs = sel->naggs;
    g->defs = calloc(sel->naggs + 1, sizeof *g->defs);
    g->ntables = ex->nthreads;
    g->tables = calloc(g->ntables, sizeof *g->tables);
    if (!g->defs || !g->tables) {
        g->ntables = 0;
        return NULL;
    }
    for (uint32_t i = 0; i < g->ntables; i++) {
        eddy_arena_init(&g->tables[i].arena, 1 << 20, 0);
        eddy_buf_init(&g->tables[i].key, 0);
    }
    uint32_t off = 0, voff = 0;
    for (uint32_t i = 0; i < sel->naggs; i++) {
        aggdef *d = &g->defs[i];
        d->a = &sel->aggs[i];
        d->off = off;
        d->size = state_size(d->a);
        d->voff = voff;
        off += d->size;
        voff += (d->a->arg ? 1 : 0) + d->a->norder;
    }
    g->block = off;
    g->nvals = voff;
    if (sel->has_window) {
        g->buffered = sel->window.kind == EDDY_SQL_WINDOW_SLIDING ||
                      sel->window.kind == EDDY_SQL_WINDOW_SESSION;
        g->windowed = !g->buffered;
    }
    /* a plain GROUP BY merges and emits by partition on every worker; with
     * keys only (an aggregate without GROUP BY is one group, on one thread) */
    g->base.par_out = !sel->has_window && sel->nkeys > 0;
    return &g->base;
}

uint64_t op_aggregate_dropped(const op *o)
{
    return ((const op_agg *)o)->late_dropped;
}

size_t op_aggregate_groups(const op *o)
{
    const op_agg *g = (const op_agg *)o;
    size_t n = 0;
    for (uint32_t i = 0; i < g->ntables; i++) {
        n += g->tables[i].n;
    }
    return n;
}

size_t op_aggregate_buffered(const op *o)
{
    return ((const op_agg *)o)->nbuffered;
}
