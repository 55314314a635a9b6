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

typedef struct group {
    uint64_t hash;
    const uint8_t *key; /* encoded keys, then the window end (8 bytes) when windowed */
    uint32_t klen;
    bool emitted;
    int64_t wend;
    uint8_t *state; /* hash mode */
    brow **rows;    /* buffer mode */
    uint32_t nrows, caprows;
} group;

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
};

static int agg_fail(op_agg *g, ctx *c, const eddy_sql_agg *a, const char *msg)
{
    const eddy_sql_plan *p = c->ex->plan;
    eddy_sql_error_set(&c->err, EDDY_ERR_INVALID_ARG, p->text, p->textlen, a->span.off, a->span.len,
                       "%s", msg);
    return EDDY_ERR_INVALID_ARG;
}

static int table_grow(table *t)
{
    size_t nc = t->cap ? t->cap * 2 : 1024;
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

/* Puts g (whose key lives elsewhere or in t's arena) into t. */
static int table_insert(table *t, group *g)
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
        eddy_buf_reset(kb);
        for (uint32_t k = 0; k < sel->nkeys; k++) {
            eddy_sql_value v = eddy_sql_vec_get(&keys[k], r);
            eddy_sql_key_put(kb, &v);
        }
        if (kb->err) {
            return ctx_nomem(c);
        }
        size_t base = kb->len;
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
        for (int64_t k = k0;; k++) {
            int64_t end = offset + k * hop;
            if (end - size >= tr) {
                break;
            }
            if (g->have_wm && end <= g->watermark) {
                continue; /* late for a window already emitted */
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
            group *gr = table_get(g, t, kb->data, (uint32_t)kb->len, end);
            if (!gr) {
                return ctx_nomem(c);
            }
            pairs[np].row = r;
            pairs[np++].g = gr;
        }
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
                    if ((rc = state_update(g, c, d, (uint8_t *)s, &xv, NULL, 0, &t->arena))) {
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
                    if ((rc = state_update(g, c, d, (uint8_t *)s, &xv, NULL, 0, &t->arena))) {
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
                                   &t->arena))) {
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

static int agg_advance(op *o, ctx *c, int64_t wm)
{
    op_agg *g = (op_agg *)o;
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
