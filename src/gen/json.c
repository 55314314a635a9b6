/* JSON helpers (see json.h). One recursive-descent scanner serves the
 * validator, the minifier's precondition and the field finder; recursion is
 * bounded by EDDY_JSON_MAX_DEPTH so hostile nesting cannot exhaust the
 * stack. */
#include "gen/json.h"

#include <string.h>

#include "core/utf8.h"
#include "core/error.h"

typedef struct scan {
    const unsigned char *p;
    size_t n;
    size_t i;
} scan;

static void skip_ws(scan *c)
{
    while (c->i < c->n) {
        unsigned char ch = c->p[c->i];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
            return;
        }
        c->i++;
    }
}

static bool literal(scan *c, const char *word)
{
    size_t len = strlen(word);
    if (c->n - c->i < len || memcmp(c->p + c->i, word, len) != 0) {
        return false;
    }
    c->i += len;
    return true;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned char ch = p[k];
        v <<= 4;
        if (ch >= '0' && ch <= '9') {
            v |= ch - '0';
        } else if (ch >= 'a' && ch <= 'f') {
            v |= ch - 'a' + 10;
        } else if (ch >= 'A' && ch <= 'F') {
            v |= ch - 'A' + 10;
        } else {
            return -1;
        }
    }
    return v;
}

/* Length of the UTF-8 sequence at p (at most n bytes), 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char b0 = p[0];
    if (b0 < 0x80) {
        return 1;
    }
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
    }
    if (b0 >= 0xe0 && b0 <= 0xef) {
        if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80) {
            return 0;
        }
        if ((b0 == 0xe0 && p[1] < 0xa0) || (b0 == 0xed && p[1] >= 0xa0)) {
            return 0; /* overlong, or a UTF-16 surrogate */
        }
        return 3;
    }
    if (b0 >= 0xf0 && b0 <= 0xf4) {
        if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80) {
            return 0;
        }
        if ((b0 == 0xf0 && p[1] < 0x90) || (b0 == 0xf4 && p[1] >= 0x90)) {
            return 0; /* overlong, or above U+10FFFF */
        }
        return 4;
    }
    return 0;
}

bool eddy_utf8_valid(const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i = 0;
    while (i < n) {
        /* Fast path over ASCII, eight bytes at a time. */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull) {
                break;
            }
            i += 8;
        }
        if (i >= n) {
            break;
        }
        size_t k = utf8_seq(s + i, n - i);
        if (!k) {
            return false;
        }
        i += k;
    }
    return true;
}

/* Scans a string whose opening quote is at c->i. On success leaves c->i past
 * the closing quote, sets [*start, *end) to the contents and *escaped when a
 * backslash occurs. */
static bool scan_string(scan *c, size_t *start, size_t *end, bool *escaped)
{
    c->i++; /* the quote */
    *start = c->i;
    *escaped = false;
    while (c->i < c->n) {
        unsigned char ch = c->p[c->i];
        if (ch == '"') {
            *end = c->i;
            c->i++;
            return true;
        }
        if (ch < 0x20) {
            return false;
        }
        if (ch == '\\') {
            *escaped = true;
            if (c->i + 1 >= c->n) {
                return false;
            }
            unsigned char e = c->p[c->i + 1];
            if (e == 'u') {
                if (c->n - c->i < 6) {
                    return false;
                }
                int u = hex4(c->p + c->i + 2);
                if (u < 0) {
                    return false;
                }
                c->i += 6;
                if (u >= 0xdc00 && u <= 0xdfff) {
                    return false; /* a low surrogate alone */
                }
                if (u >= 0xd800 && u <= 0xdbff) {
                    /* Must be followed by \u and a low surrogate. */
                    if (c->n - c->i < 6 || c->p[c->i] != '\\' || c->p[c->i + 1] != 'u') {
                        return false;
                    }
                    int lo = hex4(c->p + c->i + 2);
                    if (lo < 0xdc00 || lo > 0xdfff) {
                        return false;
                    }
                    c->i += 6;
                }
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == 0) {
                return false;
            }
            c->i += 2;
            continue;
        }
        if (ch < 0x80) {
            c->i++;
            continue;
        }
        size_t k = utf8_seq(c->p + c->i, c->n - c->i);
        if (!k) {
            return false;
        }
        c->i += k;
    }
    return false;
}

static bool is_digit(scan *c)
{
    return c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9';
}

static bool scan_number(scan *c)
{
    if (c->i < c->n && c->p[c->i] == '-') {
        c->i++;
    }
    if (!is_digit(c)) {
        return false;
    }
    if (c->p[c->i] == '0') {
        c->i++;
    } else {
        while (is_digit(c)) {
            c->i++;
        }
    }
    if (c->i < c->n && c->p[c->i] == '.') {
        c->i++;
        if (!is_digit(c)) {
            return false;
        }
        while (is_digit(c)) {
            c->i++;
        }
    }
    if (c->i < c->n && (c->p[c->i] == 'e' || c->p[c->i] == 'E')) {
        c->i++;
        if (c->i < c->n && (c->p[c->i] == '+' || c->p[c->i] == '-')) {
            c->i++;
        }
        if (!is_digit(c)) {
            return false;
        }
        while (is_digit(c)) {
            c->i++;
        }
    }
    return true;
}

/* Scans one value at c->i (no leading whitespace). Returns its type, or
 * EDDY_JSON_NONE when malformed. */
static eddy_json_type scan_value(scan *c, int depth)
{
    if (c->i >= c->n) {
        return EDDY_JSON_NONE;
    }
    size_t a, b;
    bool esc;
    switch (c->p[c->i]) {
    case '{':
        if (depth >= EDDY_JSON_MAX_DEPTH) {
            return EDDY_JSON_NONE;
        }
        c->i++;
        skip_ws(c);
        if (c->i < c->n && c->p[c->i] == '}') {
            c->i++;
            return EDDY_JSON_OBJECT;
        }
        for (;;) {
            if (c->i >= c->n || c->p[c->i] != '"' || !scan_string(c, &a, &b, &esc)) {
                return EDDY_JSON_NONE;
            }
            skip_ws(c);
            if (c->i >= c->n || c->p[c->i] != ':') {
                return EDDY_JSON_NONE;
            }
            c->i++;
            skip_ws(c);
            if (!scan_value(c, depth + 1)) {
                return EDDY_JSON_NONE;
            }
            skip_ws(c);
            if (c->i < c->n && c->p[c->i] == ',') {
                c->i++;
                skip_ws(c);
                continue;
            }
            if (c->i < c->n && c->p[c->i] == '}') {
                c->i++;
                return EDDY_JSON_OBJECT;
            }
            return EDDY_JSON_NONE;
        }
    case '[':
        if (depth >= EDDY_JSON_MAX_DEPTH) {
            return EDDY_JSON_NONE;
        }
        c->i++;
        skip_ws(c);
        if (c->i < c->n && c->p[c->i] == ']') {
            c->i++;
            return EDDY_JSON_ARRAY;
        }
        for (;;) {
            if (!scan_value(c, depth + 1)) {
                return EDDY_JSON_NONE;
            }
            skip_ws(c);
            if (c->i < c->n && c->p[c->i] == ',') {
                c->i++;
                skip_ws(c);
                continue;
            }
            if (c->i < c->n && c->p[c->i] == ']') {
                c->i++;
                return EDDY_JSON_ARRAY;
            }
            return EDDY_JSON_NONE;
        }
    case '"':
        return scan_string(c, &a, &b, &esc) ? EDDY_JSON_STRING : EDDY_JSON_NONE;
    case 't':
        return literal(c, "true") ? EDDY_JSON_TRUE : EDDY_JSON_NONE;
    case 'f':
        return literal(c, "false") ? EDDY_JSON_FALSE : EDDY_JSON_NONE;
    case 'n':
        return literal(c, "null") ? EDDY_JSON_NULL : EDDY_JSON_NONE;
    default:
        return scan_number(c) ? EDDY_JSON_NUMBER : EDDY_JSON_NONE;
    }
}

bool eddy_json_valid(const char *s, size_t n, eddy_json_type *type)
{
    scan c = {(const unsigned char *)s, s ? n : 0, 0};
    skip_ws(&c);
    eddy_json_type t = scan_value(&c, 0);
    skip_ws(&c);
    if (t == EDDY_JSON_NONE || c.i != c.n) {
        t = EDDY_JSON_NONE;
    }
    if (type) {
        *type = t;
    }
    return t != EDDY_JSON_NONE;
}

size_t eddy_json_minify(const char *s, size_t n, char *out)
{
    size_t o = 0;
    bool in_string = false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (in_string) {
            out[o++] = ch;
            if (ch == '\\' && i + 1 < n) {
                out[o++] = s[++i];
            } else if (ch == '"') {
                in_string = false;
            }
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            continue;
        }
        if (ch == '"') {
            in_string = true;
        }
        out[o++] = ch;
    }
    return o;
}

/* Compares a member name (escaped contents p[0..n)) with the path segment
 * seg[0..segn). */
static bool name_equals(const unsigned char *p, size_t n, bool escaped, const char *seg,
                        size_t segn)
{
    if (!escaped) {
        return n == segn && memcmp(p, seg, n) == 0;
    }
    char tmp[256];
    if (n > sizeof tmp) {
        return false; /* names this long are never keys we look for */
    }
    long m = eddy_json_unescape((const char *)p, n, tmp);
    return m >= 0 && (size_t)m == segn && memcmp(tmp, seg, segn) == 0;
}

int eddy_json_find(const char *s, size_t n, const char *path, eddy_json_type *type,
                   const char **val, size_t *vlen)
{
    scan c = {(const unsigned char *)s, s ? n : 0, 0};
    const char *seg = path;
    skip_ws(&c);
    for (;;) {
        const char *dot = strchr(seg, '.');
        size_t segn = dot ? (size_t)(dot - seg) : strlen(seg);
        if (c.i >= c.n || c.p[c.i] != '{') {
            return c.i >= c.n ? EDDY_ERR_PARSE : EDDY_ERR_NOT_FOUND;
        }
        c.i++;
        skip_ws(&c);
        if (c.i < c.n && c.p[c.i] == '}') {
            return EDDY_ERR_NOT_FOUND;
        }
        bool found = false;
        for (;;) {
            size_t a, b;
            bool esc;
            if (c.i >= c.n || c.p[c.i] != '"' || !scan_string(&c, &a, &b, &esc)) {
                return EDDY_ERR_PARSE;
            }
            skip_ws(&c);
            if (c.i >= c.n || c.p[c.i] != ':') {
                return EDDY_ERR_PARSE;
            }
            c.i++;
            skip_ws(&c);
            if (name_equals(c.p + a, b - a, esc, seg, segn)) {
                found = true;
                break;
            }
            if (!scan_value(&c, 1)) {
                return EDDY_ERR_PARSE;
            }
            skip_ws(&c);
            if (c.i < c.n && c.p[c.i] == ',') {
                c.i++;
                skip_ws(&c);
                continue;
            }
            if (c.i < c.n && c.p[c.i] == '}') {
                return EDDY_ERR_NOT_FOUND;
            }
            return EDDY_ERR_PARSE;
        }
        if (found && dot) {
            seg = dot + 1;
            continue; /* descend: the value must be an object */
        }
        size_t start = c.i;
        eddy_json_type t = scan_value(&c, 1);
        if (t == EDDY_JSON_NONE) {
            return EDDY_ERR_PARSE;
        }
        if (t == EDDY_JSON_STRING) {
            *val = s + start + 1;
            *vlen = c.i - start - 2;
        } else {
            *val = s + start;
            *vlen = c.i - start;
        }
        *type = t;
        return 0;
    }
}

long eddy_json_unescape(const char *s, size_t n, char *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] != '\\') {
            out[o++] = (char)p[i++];
            continue;
        }
        if (i + 1 >= n) {
            return -1;
        }
        unsigned char e = p[i + 1];
        i += 2;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            out[o++] = (char)e;
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
            if (n - i < 4) {
                return -1;
            }
            int u = hex4(p + i);
            if (u < 0 || (u >= 0xdc00 && u <= 0xdfff)) {
                return -1;
            }
            i += 4;
            unsigned cp = (unsigned)u;
            if (u >= 0xd800 && u <= 0xdbff) {
                if (n - i < 6 || p[i] != '\\' || p[i + 1] != 'u') {
                    return -1;
                }
                int lo = hex4(p + i + 2);
                if (lo < 0xdc00 || lo > 0xdfff) {
                    return -1;
                }
                i += 6;
                cp = 0x10000 + (((unsigned)u - 0xd800) << 10) + ((unsigned)lo - 0xdc00);
            }
            /* 6 escaped bytes give at most 3, 12 give 4: never grows. */
            o += eddy_utf8_encode(out + o, cp);
            break;
        }
        default:
            return -1;
        }
    }
    return (long)o;
}

int eddy_json_put_string(eddy_buf *b, const void *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = p;
    /* Worst case: every byte becomes \u00XX. */
    if (eddy_buf_reserve(b, n * 6 + 2)) {
        return b->err;
    }
    uint8_t *o = b->data + b->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = s[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            *o++ = ch;
            continue;
        }
        *o++ = '\\';
        switch (ch) {
        case '"':
            *o++ = '"';
            break;
        case '\\':
            *o++ = '\\';
            break;
        case '\n':
            *o++ = 'n';
            break;
        case '\r':
            *o++ = 'r';
            break;
        case '\t':
            *o++ = 't';
            break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = (uint8_t)hex[ch >> 4];
            *o++ = (uint8_t)hex[ch & 15];
            break;
        }
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    return 0;
}

int eddy_base64_put(eddy_buf *b, const void *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = p;
    uint8_t *o = eddy_buf_extend(b, (n + 2) / 3 * 4);
    if (!o) {
        return b->err;
    }
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
        *o++ = (uint8_t)tab[v >> 18];
        *o++ = (uint8_t)tab[(v >> 12) & 63];
        *o++ = (uint8_t)tab[(v >> 6) & 63];
        *o++ = (uint8_t)tab[v & 63];
    }
    if (n - i == 1) {
        unsigned v = (unsigned)s[i] << 16;
        *o++ = (uint8_t)tab[v >> 18];
        *o++ = (uint8_t)tab[(v >> 12) & 63];
        *o++ = '=';
        *o++ = '=';
    } else if (n - i == 2) {
        unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8;
        *o++ = (uint8_t)tab[v >> 18];
        *o++ = (uint8_t)tab[(v >> 12) & 63];
        *o++ = (uint8_t)tab[(v >> 6) & 63];
        *o++ = '=';
    }
    return 0;
}
