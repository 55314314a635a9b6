/* A small reader of JSON text for RECORD and ARRAY values (see json.h). */
#include "sql/json.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/error.h"

static const char *ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
        p++;
    }
    return p;
}

/* p at the opening quote; returns the byte after the closing quote. */
static const char *skip_string(const char *p, const char *end)
{
    p++;
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q) {
            return NULL;
        }
        /* the quote is escaped when an odd number of backslashes precede it */
        size_t bs = 0;
        while (q - bs > p && q[-1 - (ptrdiff_t)bs] == '\\') {
            bs++;
        }
        if (bs % 2 == 0) {
            return q + 1;
        }
        p = q + 1;
    }
    return NULL;
}

static bool is_scalar_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '+' || c == '.';
}

const char *eddy_sql_json_skip(const char *p, const char *end)
{
    p = ws(p, end);
    if (p >= end) {
        return NULL;
    }
    if (*p == '"') {
        return skip_string(p, end);
    }
    if (*p != '{' && *p != '[') {
        const char *s = p;
        while (p < end && is_scalar_char(*p)) {
            p++;
        }
        return p > s ? p : NULL;
    }
    /* Containers: follow the brackets with a small stack of their kinds so
     * that "[}" is refused; strings inside are skipped whole. */
    uint64_t kinds[EDDY_SQL_JSON_MAX_DEPTH / 64] = {0};
    size_t depth = 0;
    while (p < end) {
        char c = *p;
        if (c == '"') {
            p = skip_string(p, end);
            if (!p) {
                return NULL;
            }
            continue;
        }
        if (c == '{' || c == '[') {
            if (depth >= EDDY_SQL_JSON_MAX_DEPTH) {
                return NULL;
            }
            uint64_t bit = (uint64_t)1 << (depth % 64);
            if (c == '{') {
                kinds[depth / 64] |= bit;
            } else {
                kinds[depth / 64] &= ~bit;
            }
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0) {
                return NULL;
            }
            depth--;
            bool obj = (kinds[depth / 64] >> (depth % 64)) & 1;
            if (obj != (c == '}')) {
                return NULL;
            }
            if (depth == 0) {
                return p + 1;
            }
        }
        p++;
    }
    return NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static long hex4(const char *s)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(s[i]);
        if (h < 0) {
            return -1;
        }
        v = v * 16 + h;
    }
    return v;
}

long eddy_sql_json_unescape(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c != '\\') {
            out[o++] = c;
            continue;
        }
        if (++i >= len) {
            return -1;
        }
        switch (s[i]) {
        case '"':
        case '\\':
        case '/':
            out[o++] = s[i];
            break;
        case 'b':
            out[o++] = '\b';
            break;
        case 'f':
            out[o++] = '\f';
            break;
        case 'n':
            out[o++] = '\n';
            break;
        case 'r':
            out[o++] = '\r';
            break;
        case 't':
            out[o++] = '\t';
            break;
        case 'u': {
            if (len - i - 1 < 4) {
                return -1;
            }
            long cp = hex4(s + i + 1);
            if (cp < 0) {
                return -1;
            }
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && len - i - 1 >= 6 && s[i + 1] == '\\' &&
                s[i + 2] == 'u') {
                long lo = hex4(s + i + 3);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                cp = 0xFFFD; /* a lone surrogate */
            }
            /* a \u escape takes 6 bytes and gives at most 4 (a pair: 12 for
             * 4), so out never outgrows len */
            o += eddy_utf8_encode(out + o, (uint32_t)cp);
            break;
        }
        default:
            return -1;
        }
    }
    return (long)o;
}

/* Compares the raw (escaped) JSON string body raw[0..rlen) with name:
 * 0 equal, 1 equal ignoring ASCII case, 2 different, -1 malformed. */
static int name_match(const char *raw, size_t rlen, const char *name, size_t nlen)
{
    char stack[256];
    const char *s = raw;
    size_t slen = rlen;
    if (memchr(raw, '\\', rlen)) {
        if (rlen > sizeof stack) {
            char *heap = malloc(rlen);
            if (!heap) {
                return 2;
            }
            long n = eddy_sql_json_unescape(raw, rlen, heap);
            int r = 2;
            if (n < 0) {
                r = -1;
            } else if ((size_t)n == nlen) {
                r = memcmp(heap, name, nlen) == 0 ? 0 : strncasecmp(heap, name, nlen) == 0 ? 1 : 2;
            }
            free(heap);
            return r;
        }
        long n = eddy_sql_json_unescape(raw, rlen, stack);
        if (n < 0) {
            return -1;
        }
        s = stack;
        slen = (size_t)n;
    }
    if (slen != nlen) {
        return 2;
    }
    if (nlen == 0 || memcmp(s, name, nlen) == 0) {
        return 0;
    }
    for (size_t i = 0; i < nlen; i++) {
        char a = s[i], b = name[i];
        if (a >= 'A' && a <= 'Z') {
            a = (char)(a - 'A' + 'a');
        }
        if (b >= 'A' && b <= 'Z') {
            b = (char)(b - 'A' + 'a');
        }
        if (a != b) {
            return 2;
        }
    }
    return 1;
}

int eddy_sql_json_next(const char *obj, size_t len, size_t *pos, eddy_sql_str *name,
                       eddy_sql_str *val)
{
    const char *end = obj + len;
    const char *p;
    if (*pos == 0) {
        p = ws(obj, end);
        if (p >= end || *p != '{') {
            return -1;
        }
        p = ws(p + 1, end);
        if (p < end && *p == '}') {
            *pos = (size_t)(p + 1 - obj);
            return 0;
        }
    } else {
        if (*pos > len) {
            return -1;
        }
        p = ws(obj + *pos, end);
        if (p >= end) {
            return -1;
        }
        if (*p == '}') {
            return 0;
        }
        if (*p != ',') {
            return -1;
        }
        p = ws(p + 1, end);
    }
    if (p >= end || *p != '"') {
        return -1;
    }
    const char *q = skip_string(p, end);
    if (!q) {
        return -1;
    }
    name->p = p + 1;
    name->len = (uint32_t)(q - p - 2);
    p = ws(q, end);
    if (p >= end || *p != ':') {
        return -1;
    }
    p = ws(p + 1, end);
    q = eddy_sql_json_skip(p, end);
    if (!q) {
        return -1;
    }
    val->p = p;
    val->len = (uint32_t)(q - p);
    *pos = (size_t)(q - obj);
    return 1;
}

int eddy_sql_json_member(const char *obj, size_t len, const char *name, size_t nlen,
                         eddy_sql_str *val)
{
    const char *p = ws(obj, obj + len);
    if (p >= obj + len || *p != '{') {
        return 0;
    }
    size_t pos = 0;
    eddy_sql_str k, v;
    bool have_ci = false;
    eddy_sql_str ci = {0};
    int r;
    while ((r = eddy_sql_json_next(obj, len, &pos, &k, &v)) == 1) {
        int m = name_match(k.p, k.len, name, nlen);
        if (m < 0) {
            return -1;
        }
        if (m == 0) {
            *val = v;
            return 1;
        }
        if (m == 1 && !have_ci) {
            have_ci = true;
            ci = v;
        }
    }
    if (r < 0) {
        return -1;
    }
    if (have_ci) {
        *val = ci;
        return 1;
    }
    return 0;
}

/* Walks an array: returns the element at index (1), or with index < 0
 * counts the elements into *count (0); -1 when malformed. */
static int array_walk(const char *arr, size_t len, int64_t index, eddy_sql_str *val, int64_t *count)
{
    const char *end = arr + len;
    const char *p = ws(arr, end);
    if (p >= end || *p != '[') {
        return index >= 0 ? 0 : -1;
    }
    p = ws(p + 1, end);
    int64_t i = 0;
    if (p < end && *p == ']') {
        if (count) {
            *count = 0;
        }
        return 0;
    }
    for (;;) {
        const char *q = eddy_sql_json_skip(p, end);
        if (!q) {
            return -1;
        }
        if (i == index) {
            val->p = p;
            val->len = (uint32_t)(q - p);
            return 1;
        }
        i++;
        p = ws(q, end);
        if (p >= end) {
            return -1;
        }
        if (*p == ']') {
            break;
        }
        if (*p != ',') {
            return -1;
        }
        p = ws(p + 1, end);
    }
    if (count) {
        *count = i;
    }
    return 0;
}

int eddy_sql_json_element(const char *arr, size_t len, int64_t index, eddy_sql_str *val)
{
    if (index < 0) {
        return 0;
    }
    return array_walk(arr, len, index, val, NULL);
}

int eddy_sql_json_length(const char *arr, size_t len, int64_t *n)
{
    return array_walk(arr, len, -1, NULL, n) < 0 ? -1 : 0;
}

static bool parse_number(const char *p, size_t len, eddy_sql_value *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf) {
        return false;
    }
    memcpy(buf, p, len);
    buf[len] = 0;
    /* JSON grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    size_t i = 0;
    if (buf[i] == '-') {
        i++;
    }
    if (i >= len || buf[i] < '0' || buf[i] > '9') {
        return false;
    }
    if (buf[i] == '0' && i + 1 < len && buf[i + 1] >= '0' && buf[i + 1] <= '9') {
        return false;
    }
    bool integral = true;
    while (i < len && buf[i] >= '0' && buf[i] <= '9') {
        i++;
    }
    if (i < len && buf[i] == '.') {
        integral = false;
        i++;
        if (i >= len || buf[i] < '0' || buf[i] > '9') {
            return false;
        }
        while (i < len && buf[i] >= '0' && buf[i] <= '9') {
            i++;
        }
    }
    if (i < len && (buf[i] == 'e' || buf[i] == 'E')) {
        integral = false;
        i++;
        if (i < len && (buf[i] == '+' || buf[i] == '-')) {
            i++;
        }
        if (i >= len || buf[i] < '0' || buf[i] > '9') {
            return false;
        }
        while (i < len && buf[i] >= '0' && buf[i] <= '9') {
            i++;
        }
    }
    if (i != len) {
        return false;
    }
    if (integral) {
        errno = 0;
        long long v = strtoll(buf, NULL, 10);
        if (errno == 0) {
            out->type = EDDY_SQL_V_INT;
            out->i = v;
            return true;
        }
    }
    out->type = EDDY_SQL_V_DOUBLE;
    out->d = strtod(buf, NULL);
    return true;
}

int eddy_sql_json_value(const char *p, size_t len, eddy_arena *arena, eddy_sql_value *out)
{
    const char *end = p + len;
    memset(out, 0, sizeof *out);
    p = ws(p, end);
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r')) {
        end--;
    }
    if (p >= end) {
        return -1;
    }
    size_t n = (size_t)(end - p);
    switch (*p) {
    case '"': {
        const char *q = skip_string(p, end);
        if (q != end) {
            return -1;
        }
        const char *body = p + 1;
        size_t blen = n - 2;
        out->type = EDDY_SQL_V_STRING;
        if (!memchr(body, '\\', blen)) {
            out->s.p = body;
            out->s.len = (uint32_t)blen;
            return 0;
        }
        char *buf = eddy_arena_alloc(arena, blen ? blen : 1);
        if (!buf) {
            return EDDY_ERR_NOMEM;
        }
        long m = eddy_sql_json_unescape(body, blen, buf);
        if (m < 0) {
            return -1;
        }
        out->s.p = buf;
        out->s.len = (uint32_t)m;
        return 0;
    }
    case '{':
    case '[':
        if (eddy_sql_json_skip(p, end) != end) {
            return -1;
        }
        out->type = *p == '{' ? EDDY_SQL_V_RECORD : EDDY_SQL_V_ARRAY;
        out->s.p = p;
        out->s.len = (uint32_t)n;
        return 0;
    case 't':
        if (n == 4 && memcmp(p, "true", 4) == 0) {
            out->type = EDDY_SQL_V_BOOL;
            out->b = true;
            return 0;
        }
        return -1;
    case 'f':
        if (n == 5 && memcmp(p, "false", 5) == 0) {
            out->type = EDDY_SQL_V_BOOL;
            out->b = false;
            return 0;
        }
        return -1;
    case 'n':
        if (n == 4 && memcmp(p, "null", 4) == 0) {
            out->type = EDDY_SQL_V_NULL;
            return 0;
        }
        return -1;
    default:
        return parse_number(p, n, out) ? 0 : -1;
    }
}
