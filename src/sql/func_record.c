/* Record and array functions: GetRecordPropertyValue, GetArrayElement,
 * GetArrayLength (docs/sql.md "Records and arrays").
 *
 * Records and arrays are JSON text (sql/vector.h); the functions read it
 * with the bounded reader in json.c. Text that is not well-formed JSON
 * gives null rather than failing the query: it came from the input. */
#include <string.h>

#include "core/error.h"
#include "sql/expr_int.h"
#include "sql/json.h"

static int decode(eddy_sql_xctx *c, eddy_sql_str m, eddy_sql_value *res)
{
    int rc = eddy_sql_json_value(m.p, m.len, c->arena, res);
    if (rc == EDDY_ERR_NOMEM) {
        return eddy_sql_x_nomem(c);
    }
    if (rc) {
        memset(res, 0, sizeof *res);
    }
    return 0;
}

int eddy_sql_fn_getrecordpropertyvalue(const eddy_sql_x *x, eddy_sql_xctx *c,
                                       const eddy_sql_value *a, eddy_sql_value *res)
{
    if (a[0].type != EDDY_SQL_V_RECORD || a[1].type != EDDY_SQL_V_STRING) {
        return 0;
    }
    eddy_sql_str m;
    if (eddy_sql_json_member(a[0].s.p, a[0].s.len, a[1].s.p, a[1].s.len, &m) != 1) {
        return 0;
    }
    return decode(c, m, res);
}

int eddy_sql_fn_getarrayelement(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                                eddy_sql_value *res)
{
    int64_t i;
    if (a[0].type != EDDY_SQL_V_ARRAY || !eddy_sql_arg_int(&a[1], &i)) {
        return 0;
    }
    eddy_sql_str m;
    if (eddy_sql_json_element(a[0].s.p, a[0].s.len, i, &m) != 1) {
        return 0;
    }
    return decode(c, m, res);
}

int eddy_sql_fn_getarraylength(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                               eddy_sql_value *res)
{
    int64_t n;
    if (a[0].type != EDDY_SQL_V_ARRAY || eddy_sql_json_length(a[0].s.p, a[0].s.len, &n) != 0) {
        return 0;
    }
    res->type = EDDY_SQL_V_INT;
    res->i = n;
    return 0;
}
