/* Per-chunk typed column builders of the sources (src_int.h): a column takes
 * the type of its first non-null value in the chunk; an INT column becomes
 * DOUBLE when a float arrives (the integers so far are converted), a DOUBLE
 * column takes integers as doubles, and any other mix converts the column
 * to ANY (a tagged value per row). Values arrive through the inline puts of
 * src_int.h; only type changes come here. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "sql/src_int.h"

int src_col_init(src_col *c)
{
    memset(c, 0, sizeof *c);
    c->valid = malloc(SRC_ROWS);
    c->data = malloc((size_t)SRC_ROWS * 16);
    if (!c->valid || !c->data) {
        src_col_deinit(c);
        return EDDY_ERR_NOMEM;
    }
    src_col_clear(c);
    return 0;
}

void src_col_deinit(src_col *c)
{
    free(c->valid);
    free(c->data);
    free(c->any);
    free(c->was_int);
    memset(c, 0, sizeof *c);
}

void src_col_clear(src_col *c)
{
    c->type = EDDY_SQL_V_NULL;
    c->nvalid = 0;
    memset(c->valid, 0, SRC_ROWS);
    c->oom = false;
    if (c->has_ints) {
        memset(c->was_int, 0, SRC_ROWS);
        c->has_ints = false;
    }
}

/* Row r of a typed column as a tagged value. */
static eddy_sql_value typed_value(const src_col *c, uint32_t r)
{
    eddy_sql_value v = {.type = EDDY_SQL_V_NULL};
    if (!c->valid[r]) {
        return v;
    }
    v.type = c->type;
    switch (c->type) {
    case EDDY_SQL_V_BOOL:
        v.b = c->b[r] != 0;
        break;
    case EDDY_SQL_V_INT:
    case EDDY_SQL_V_TIME:
        v.i = c->i[r];
        break;
    case EDDY_SQL_V_DOUBLE:
        if (c->has_ints && c->was_int[r]) {
            return c->any[r];
        }
        v.d = c->d[r];
        break;
    case EDDY_SQL_V_STRING:
    case EDDY_SQL_V_RECORD:
    case EDDY_SQL_V_ARRAY:
        v.s = c->s[r];
        break;
    default:
        v.type = EDDY_SQL_V_NULL;
        break;
    }
    return v;
}

/* any[] and was_int[] are allocated on the first mix of types (most
 * columns never need them). */
static bool ensure_any(src_col *c)
{
    if (!c->any) {
        c->any = malloc((size_t)SRC_ROWS * sizeof *c->any);
    }
    if (!c->was_int) {
        c->was_int = calloc(SRC_ROWS, 1);
    }
    if (!c->any || !c->was_int) {
        c->oom = true;
        return false;
    }
    return true;
}

/* The column's rows so far become tagged values. */
static void to_any(src_col *c)
{
    for (uint32_t r = 0; r < SRC_ROWS; r++) {
        c->any[r] = typed_value(c, r);
    }
    c->type = EDDY_SQL_V_ANY;
}

void src_col_put_slow(src_col *c, uint32_t row, const eddy_sql_value *v)
{
    if (v->type == EDDY_SQL_V_NULL || c->valid[row]) {
        return;
    }
    if (c->type == EDDY_SQL_V_NULL) {
        c->type = v->type;
    } else if (c->type != v->type && !ensure_any(c)) {
        return;
    } else if (c->type == EDDY_SQL_V_INT && v->type == EDDY_SQL_V_DOUBLE) {
        /* Promote: the valid integers so far become doubles in place (and
         * are kept exactly beside them). */
        for (uint32_t r = 0; r < SRC_ROWS; r++) {
            if (c->valid[r]) {
                c->any[r].type = EDDY_SQL_V_INT;
                c->any[r].i = c->i[r];
                c->was_int[r] = 1;
                c->d[r] = (double)c->i[r];
            }
        }
        c->has_ints = true;
        c->type = EDDY_SQL_V_DOUBLE;
    } else if (c->type != v->type && c->type != EDDY_SQL_V_ANY &&
               !(c->type == EDDY_SQL_V_DOUBLE && v->type == EDDY_SQL_V_INT)) {
        to_any(c);
    }
    switch (c->type) {
    case EDDY_SQL_V_ANY:
        c->any[row] = *v;
        break;
    case EDDY_SQL_V_BOOL:
        c->b[row] = v->b ? 1 : 0;
        break;
    case EDDY_SQL_V_INT:
    case EDDY_SQL_V_TIME:
        c->i[row] = v->i;
        break;
    case EDDY_SQL_V_DOUBLE:
        if (v->type == EDDY_SQL_V_INT) {
            c->any[row] = *v;
            c->was_int[row] = 1;
            c->has_ints = true;
            c->d[row] = (double)v->i;
        } else {
            c->d[row] = v->d;
        }
        break;
    default:
        c->s[row] = v->s;
        break;
    }
    c->valid[row] = 1;
    c->nvalid++;
}

void src_col_finish(src_col *c, uint32_t nrows, eddy_sql_vec *out)
{
    memset(out, 0, sizeof *out);
    out->type = c->type;
    out->n = nrows;
    if (c->type == EDDY_SQL_V_NULL) {
        return;
    }
    if (c->nvalid < nrows) {
        /* Null rows get a defined value, so kernels may read them. */
        for (uint32_t r = 0; r < nrows; r++) {
            if (c->valid[r]) {
                continue;
            }
            switch (c->type) {
            case EDDY_SQL_V_ANY:
                c->any[r].type = EDDY_SQL_V_NULL;
                break;
            case EDDY_SQL_V_BOOL:
                c->b[r] = 0;
                break;
            case EDDY_SQL_V_STRING:
            case EDDY_SQL_V_RECORD:
            case EDDY_SQL_V_ARRAY:
                c->s[r].p = "";
                c->s[r].len = 0;
                break;
            default:
                c->i[r] = 0;
                break;
            }
        }
        out->valid = c->valid;
    }
    out->data = c->type == EDDY_SQL_V_ANY ? (void *)c->any : c->data;
}

static int detach_str(eddy_sql_str *s, eddy_arena *arena)
{
    if (s->len == 0) {
        s->p = "";
        return 0;
    }
    void *p = eddy_arena_memdup(arena, s->p, s->len);
    if (!p) {
        return EDDY_ERR_NOMEM;
    }
    s->p = p;
    return 0;
}

static bool is_text(eddy_sql_vtype t)
{
    return t == EDDY_SQL_V_STRING || t == EDDY_SQL_V_RECORD || t == EDDY_SQL_V_ARRAY;
}

int src_col_detach(src_col *c, uint32_t from, uint32_t to, eddy_arena *arena)
{
    for (uint32_t r = from; r < to; r++) {
        if (!c->valid[r]) {
            continue;
        }
        if (is_text(c->type)) {
            if (detach_str(&c->s[r], arena)) {
                return EDDY_ERR_NOMEM;
            }
        } else if (c->type == EDDY_SQL_V_ANY && is_text(c->any[r].type)) {
            if (detach_str(&c->any[r].s, arena)) {
                return EDDY_ERR_NOMEM;
            }
        }
    }
    return 0;
}
