/* The SQL function table (see functions.h). About fifty names: lookups are
 * a linear, case-insensitive scan, done once per call site at parse time. */
#include "sql/functions.h"

#include <string.h>
#include <strings.h>

#include "sql/diag.h"

static const eddy_sql_func funcs[] = {
#define EDDY_X_FUNC_ROW(id, name, kind, min, max, flags)                                           \
    {EDDY_SQL_FN_##id, name, EDDY_SQL_FUNC_##kind, min, max, flags},
    EDDY_SQL_FUNCTIONS(EDDY_X_FUNC_ROW)
#undef EDDY_X_FUNC_ROW
};

static const struct {
    const char *name;
    eddy_sql_func_id id;
} aliases[] = {
#define EDDY_X_ALIAS_ROW(name, id) {name, EDDY_SQL_FN_##id},
    EDDY_SQL_FUNCTION_ALIASES(EDDY_X_ALIAS_ROW)
#undef EDDY_X_ALIAS_ROW
};

#define NFUNCS   (sizeof funcs / sizeof funcs[0])
#define NALIASES (sizeof aliases / sizeof aliases[0])

static int same_name(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    return alen == blen && strncasecmp(a, b, alen) == 0;
}

const eddy_sql_func *eddy_sql_func_get(eddy_sql_func_id id)
{
    return (unsigned)id < NFUNCS ? &funcs[id] : NULL;
}

const eddy_sql_func *eddy_sql_func_lookup(const char *name, size_t len)
{
    if (memchr(name, '\0', len)) {
        return NULL;
    }
    for (size_t i = 0; i < NFUNCS; i++) {
        if (same_name(name, len, funcs[i].name)) {
            return &funcs[i];
        }
    }
    for (size_t i = 0; i < NALIASES; i++) {
        if (same_name(name, len, aliases[i].name)) {
            return &funcs[aliases[i].id];
        }
    }
    return NULL;
}

const eddy_sql_func *eddy_sql_func_nearest(const char *name, size_t len, unsigned kind_mask)
{
    const eddy_sql_func *best = NULL;
    size_t best_d = eddy_sql_suggest_limit(len) + 1;
    for (size_t i = 0; i < NFUNCS; i++) {
        if (!(funcs[i].kind & kind_mask)) {
            continue;
        }
        size_t d = eddy_sql_edit_distance(name, len, funcs[i].name, strlen(funcs[i].name));
        if (d < best_d) {
            best_d = d;
            best = &funcs[i];
        }
    }
    for (size_t i = 0; i < NALIASES; i++) {
        const eddy_sql_func *f = &funcs[aliases[i].id];
        if (!(f->kind & kind_mask)) {
            continue;
        }
        size_t d = eddy_sql_edit_distance(name, len, aliases[i].name, strlen(aliases[i].name));
        if (d < best_d) {
            best_d = d;
            best = f;
        }
    }
    return best;
}

const char *eddy_sql_func_kind_name(eddy_sql_func_kind kind)
{
    switch (kind) {
    case EDDY_SQL_FUNC_SCALAR:
        return "scalar";
    case EDDY_SQL_FUNC_AGGREGATE:
        return "aggregate";
    case EDDY_SQL_FUNC_WINDOW:
        return "window";
    case EDDY_SQL_FUNC_TABLE:
        return "table";
    }
    return "?";
}
