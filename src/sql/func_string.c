/* String functions: LEN, SUBSTRING, UPPER, LOWER, CONCAT, CHARINDEX,
 * REPLACE, TRIM, REGEXMATCH (docs/sql.md "Strings").
 *
 * Strings are UTF-8; lengths and positions count characters (code points),
 * not bytes; comparisons and searches are bytewise. UPPER and LOWER map
 * ASCII letters only. A non-string argument of a dynamic column gives
 * null. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "sql/expr_int.h"
#include "sql/value.h"

static bool is_cont(char ch)
{
    return ((unsigned char)ch & 0xC0) == 0x80;
}

static int64_t char_count(const char *s, size_t len)
{
    int64_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += !is_cont(s[i]);
    }
    return n;
}

/* Byte offset of character index ci (0-based), clamped to len. */
static size_t char_offset(const char *s, size_t len, int64_t ci)
{
    size_t i = 0;
    while (i < len && ci > 0) {
        i++;
        while (i < len && is_cont(s[i])) {
            i++;
        }
        ci--;
    }
    return i;
}

static int new_str(eddy_sql_xctx *c, size_t len, char **p)
{
    *p = eddy_arena_alloc(c->arena, len ? len : 1);
    return *p ? 0 : eddy_sql_x_nomem(c);
}

static void set_str(eddy_sql_value *res, const char *p, size_t len)
{
    res->type = EDDY_SQL_V_STRING;
    res->s.p = p;
    res->s.len = (uint32_t)len;
}

int eddy_sql_fn_len(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                    eddy_sql_value *res)
{
    if (a[0].type != EDDY_SQL_V_STRING) {
        return 0;
    }
    res->type = EDDY_SQL_V_INT;
    res->i = char_count(a[0].s.p, a[0].s.len);
    return 0;
}

int eddy_sql_fn_substring(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                          eddy_sql_value *res)
{
    int64_t start, length;
    if (a[0].type != EDDY_SQL_V_STRING || !eddy_sql_arg_int(&a[1], &start) ||
        !eddy_sql_arg_int(&a[2], &length)) {
        return 0;
    }
    if (length < 0) {
        return eddy_sql_x_fail(x, c, "SUBSTRING length must not be negative, found %lld",
                               (long long)length);
    }
    /* T-SQL: characters start .. start+length-1 (1-based) that exist */
    int64_t first = start - 1, last;
    if (__builtin_add_overflow(first, length, &last)) {
        last = INT64_MAX;
    }
    if (first < 0) {
        first = 0;
    }
    if (last <= first) {
        set_str(res, "", 0);
        return 0;
    }
    const char *s = a[0].s.p;
    size_t len = a[0].s.len;
    size_t b0 = char_offset(s, len, first);
    size_t b1 = b0 + char_offset(s + b0, len - b0, last - first);
    set_str(res, s + b0, b1 - b0);
    return 0;
}

static int map_case(eddy_sql_xctx *c, const eddy_sql_value *a, eddy_sql_value *res, bool upper)
{
    if (a[0].type != EDDY_SQL_V_STRING) {
        return 0;
    }
    size_t len = a[0].s.len;
    char *p;
    int rc = new_str(c, len, &p);
    if (rc) {
        return rc;
    }
    for (size_t i = 0; i < len; i++) {
        char ch = a[0].s.p[i];
        if (upper && ch >= 'a' && ch <= 'z') {
            ch = (char)(ch - 'a' + 'A');
        } else if (!upper && ch >= 'A' && ch <= 'Z') {
            ch = (char)(ch - 'A' + 'a');
        }
        p[i] = ch;
    }
    set_str(res, p, len);
    return 0;
}

int eddy_sql_fn_upper(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                      eddy_sql_value *res)
{
    return map_case(c, a, res, true);
}

int eddy_sql_fn_lower(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                      eddy_sql_value *res)
{
    return map_case(c, a, res, false);
}

int eddy_sql_fn_concat(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                       eddy_sql_value *res)
{
    eddy_buf b;
    eddy_buf_init(&b, 0);
    for (uint32_t j = 0; j < x->nargs; j++) {
        if (a[j].type == EDDY_SQL_V_BOOL) {
            eddy_buf_append(&b, a[j].b ? "true" : "false", a[j].b ? 4 : 5);
        } else {
            eddy_sql_value_text(&b, &a[j]);
        }
    }
    if (b.err) {
        eddy_buf_deinit(&b);
        return eddy_sql_x_nomem(c);
    }
    char *p;
    int rc = new_str(c, b.len, &p);
    if (rc == 0) {
        if (b.len) {
            memcpy(p, b.data, b.len);
        }
        set_str(res, p, b.len);
    }
    eddy_buf_deinit(&b);
    return rc;
}

int eddy_sql_fn_charindex(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                          eddy_sql_value *res)
{
    if (a[0].type != EDDY_SQL_V_STRING || a[1].type != EDDY_SQL_V_STRING) {
        return 0;
    }
    int64_t start = 1;
    if (x->nargs > 2 && !eddy_sql_arg_int(&a[2], &start)) {
        return 0;
    }
    const char *find = a[0].s.p, *s = a[1].s.p;
    size_t flen = a[0].s.len, len = a[1].s.len;
    res->type = EDDY_SQL_V_INT;
    res->i = 0;
    if (flen == 0) {
        return 0;
    }
    if (start < 1) {
        start = 1;
    }
    size_t from = char_offset(s, len, start - 1);
    if (from >= len || len - from < flen) {
        return 0;
    }
    const char *hit = memmem(s + from, len - from, find, flen);
    if (hit) {
        res->i = char_count(s, (size_t)(hit - s)) + 1;
    }
    return 0;
}

int eddy_sql_fn_replace(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                        eddy_sql_value *res)
{
    for (int j = 0; j < 3; j++) {
        if (a[j].type != EDDY_SQL_V_STRING) {
            return 0;
        }
    }
    const char *s = a[0].s.p, *find = a[1].s.p, *with = a[2].s.p;
    size_t len = a[0].s.len, flen = a[1].s.len, wlen = a[2].s.len;
    if (flen == 0) {
        *res = a[0];
        return 0;
    }
    eddy_buf b;
    eddy_buf_init(&b, 0);
    size_t i = 0;
    while (i < len) {
        const char *hit = len - i >= flen ? memmem(s + i, len - i, find, flen) : NULL;
        if (!hit) {
            break;
        }
        eddy_buf_append(&b, s + i, (size_t)(hit - (s + i)));
        eddy_buf_append(&b, with, wlen);
        i = (size_t)(hit - s) + flen;
    }
    eddy_buf_append(&b, s + i, len - i);
    if (b.err) {
        eddy_buf_deinit(&b);
        return eddy_sql_x_nomem(c);
    }
    char *p;
    int rc = new_str(c, b.len, &p);
    if (rc == 0) {
        if (b.len) {
            memcpy(p, b.data, b.len);
        }
        set_str(res, p, b.len);
    }
    eddy_buf_deinit(&b);
    return rc;
}

int eddy_sql_fn_trim(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                     eddy_sql_value *res)
{
    if (a[0].type != EDDY_SQL_V_STRING) {
        return 0;
    }
    const char *s = a[0].s.p;
    size_t len = a[0].s.len;
    while (len && s[0] == ' ') {
        s++;
        len--;
    }
    while (len && s[len - 1] == ' ') {
        len--;
    }
    set_str(res, s, len);
    return 0;
}

int eddy_sql_fn_regexmatch(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                           eddy_sql_value *res)
{
    if (a[0].type != EDDY_SQL_V_STRING || a[1].type != EDDY_SQL_V_STRING) {
        return 0;
    }
    regex_t *re = x->aux;
    bool own = false;
    if (!re) {
        char msg[128];
        re = eddy_sql_regex_compile(&a[1].s, msg, sizeof msg);
        if (!re) {
            return eddy_sql_x_fail(x, c, "%s", msg);
        }
        own = true;
    }
    /* regexec wants a NUL-terminated subject */
    char stack[256];
    char *z = a[0].s.len < sizeof stack ? stack : malloc((size_t)a[0].s.len + 1);
    int rc = 0;
    if (!z) {
        rc = eddy_sql_x_nomem(c);
        goto out;
    }
    if (a[0].s.len) {
        memcpy(z, a[0].s.p, a[0].s.len);
    }
    z[a[0].s.len] = 0;
    res->type = EDDY_SQL_V_INT;
    res->i = regexec(re, z, 0, NULL, 0) == 0 ? 1 : 0;
    if (z != stack) {
        free(z);
    }
out:
    if (own) {
        regfree(re);
        free(re);
    }
    return rc;
}
