/* json_plain: the oracle JSON parser (json_plain.h). */
#include "json_plain.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 500

enum { JP_NULL, JP_BOOL, JP_INT, JP_DOUBLE, JP_STRING, JP_OBJECT, JP_ARRAY };

struct jp_value {
    int type;
    bool b;
    int64_t i;
    double d;
    char *str; /* JP_STRING: unescaped, owned */
    size_t len;
    const char *text; /* JP_OBJECT, JP_ARRAY: the exact input text */
    size_t text_len;
    size_t n; /* members or elements */
    const char **keys;
    size_t *key_lens;
    jp_value **items;
};

typedef struct parser {
    const char *p, *end;
    int depth;
    bool bad;
} parser;

static void ws(parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) {
        ps->p++;
    }
}

static jp_value *node(int type)
{
    jp_value *v = calloc(1, sizeof *v);
    if (v) {
        v->type = type;
    }
    return v;
}

static int hexdigit(char c)
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

static long read_hex4(parser *ps)
{
    if (ps->end - ps->p < 4) {
        return -1;
    }
    long v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexdigit(ps->p[k]);
        if (h < 0) {
            return -1;
        }
        v = v * 16 + h;
    }
    ps->p += 4;
    return v;
}

static void put_cp(char *out, size_t *n, unsigned long cp)
{
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* A string literal at ps->p (the opening quote): unescaped into *out. */
static bool parse_string(parser *ps, char **out, size_t *len)
{
    ps->p++;
    size_t cap = (size_t)(ps->end - ps->p) + 1, n = 0;
    char *s = malloc(cap);
    if (!s) {
        return false;
    }
    for (;;) {
        if (ps->p >= ps->end) {
            free(s);
            return false;
        }
        char c = *ps->p++;
        if (c == '"') {
            break;
        }
        if ((unsigned char)c < 0x20) {
            free(s);
            return false;
        }
        if (c != '\\') {
            s[n++] = c;
            continue;
        }
        if (ps->p >= ps->end) {
            free(s);
            return false;
        }
        char e = *ps->p++;
        switch (e) {
        case '"':
            s[n++] = '"';
            break;
        case '\\':
            s[n++] = '\\';
            break;
        case '/':
            s[n++] = '/';
            break;
        case 'b':
            s[n++] = '\b';
            break;
        case 'f':
            s[n++] = '\f';
            break;
        case 'n':
            s[n++] = '\n';
            break;
        case 'r':
            s[n++] = '\r';
            break;
        case 't':
            s[n++] = '\t';
            break;
        case 'u': {
            long cp = read_hex4(ps);
            if (cp < 0) {
                free(s);
                return false;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                /* A pair only when a low surrogate escape follows. */
                const char *save = ps->p;
                long lo = -1;
                if (ps->end - ps->p >= 2 && ps->p[0] == '\\' && ps->p[1] == 'u') {
                    ps->p += 2;
                    lo = read_hex4(ps);
                }
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else {
                    ps->p = save;
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            put_cp(s, &n, (unsigned long)cp);
            break;
        }
        default:
            free(s);
            return false;
        }
    }
    *out = s;
    *len = n;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static jp_value *parse_number(parser *ps)
{
    const char *s = ps->p;
    bool integer = true;
    if (ps->p < ps->end && *ps->p == '-') {
        ps->p++;
    }
    if (ps->p < ps->end && *ps->p == '0') {
        ps->p++;
    } else if (ps->p < ps->end && *ps->p >= '1' && *ps->p <= '9') {
        while (ps->p < ps->end && is_digit(*ps->p)) {
            ps->p++;
        }
    } else {
        return NULL;
    }
    if (ps->p < ps->end && *ps->p == '.') {
        integer = false;
        ps->p++;
        if (ps->p >= ps->end || !is_digit(*ps->p)) {
            return NULL;
        }
        while (ps->p < ps->end && is_digit(*ps->p)) {
            ps->p++;
        }
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        integer = false;
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) {
            ps->p++;
        }
        if (ps->p >= ps->end || !is_digit(*ps->p)) {
            return NULL;
        }
        while (ps->p < ps->end && is_digit(*ps->p)) {
            ps->p++;
        }
    }
    size_t n = (size_t)(ps->p - s);
    char *copy = malloc(n + 1);
    jp_value *v = node(JP_DOUBLE);
    if (!copy || !v) {
        free(copy);
        free(v);
        return NULL;
    }
    memcpy(copy, s, n);
    copy[n] = '\0';
    if (integer) {
        errno = 0;
        long long x = strtoll(copy, NULL, 10);
        if (errno == 0) {
            v->type = JP_INT;
            v->i = x;
        }
    }
    if (v->type == JP_DOUBLE) {
        v->d = strtod(copy, NULL);
    }
    free(copy);
    return v;
}

static jp_value *parse_value(parser *ps);

static bool push(jp_value *o, const char *key, size_t klen, jp_value *item)
{
    const char **nk = realloc(o->keys, (o->n + 1) * sizeof *nk);
    if (nk) {
        o->keys = nk;
    }
    size_t *nl = realloc(o->key_lens, (o->n + 1) * sizeof *nl);
    if (nl) {
        o->key_lens = nl;
    }
    jp_value **ni = realloc(o->items, (o->n + 1) * sizeof *ni);
    if (ni) {
        o->items = ni;
    }
    if (!nk || !nl || !ni) {
        return false;
    }
    o->keys[o->n] = key;
    o->key_lens[o->n] = klen;
    o->items[o->n] = item;
    o->n++;
    return true;
}

static jp_value *parse_container(parser *ps, bool object)
{
    if (++ps->depth > MAX_DEPTH) {
        return NULL;
    }
    const char *start = ps->p;
    jp_value *v = node(object ? JP_OBJECT : JP_ARRAY);
    if (!v) {
        return NULL;
    }
    ps->p++;
    ws(ps);
    char close = object ? '}' : ']';
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        goto done;
    }
    for (;;) {
        char *key = NULL;
        size_t klen = 0;
        if (object) {
            if (ps->p >= ps->end || *ps->p != '"' || !parse_string(ps, &key, &klen)) {
                goto bad;
            }
            ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                free(key);
                goto bad;
            }
            ps->p++;
            ws(ps);
        }
        jp_value *item = parse_value(ps);
        if (!item || !push(v, key, klen, item)) {
            free(key);
            jp_free(item);
            goto bad;
        }
        ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            ws(ps);
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            break;
        }
        goto bad;
    }
done:
    v->text = start;
    v->text_len = (size_t)(ps->p - start);
    ps->depth--;
    return v;
bad:
    jp_free(v);
    return NULL;
}

static jp_value *literal(parser *ps, const char *word, int type, bool b)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
        return NULL;
    }
    ps->p += n;
    jp_value *v = node(type);
    if (v) {
        v->b = b;
    }
    return v;
}

static jp_value *parse_value(parser *ps)
{
    if (ps->p >= ps->end) {
        return NULL;
    }
    switch (*ps->p) {
    case '{':
        return parse_container(ps, true);
    case '[':
        return parse_container(ps, false);
    case '"': {
        jp_value *v = node(JP_STRING);
        if (v && !parse_string(ps, &v->str, &v->len)) {
            free(v);
            return NULL;
        }
        return v;
    }
    case 't':
        return literal(ps, "true", JP_BOOL, true);
    case 'f':
        return literal(ps, "false", JP_BOOL, false);
    case 'n':
        return literal(ps, "null", JP_NULL, false);
    default:
        return parse_number(ps);
    }
}

jp_value *jp_parse(const char *p, size_t n)
{
    parser ps = {p, p + n, 0, false};
    ws(&ps);
    jp_value *v = parse_value(&ps);
    if (!v) {
        return NULL;
    }
    ws(&ps);
    if (ps.p != ps.end) {
        jp_free(v);
        return NULL;
    }
    return v;
}

void jp_free(jp_value *v)
{
    if (!v) {
        return;
    }
    for (size_t k = 0; k < v->n; k++) {
        if (v->keys) {
            free((char *)v->keys[k]);
        }
        jp_free(v->items[k]);
    }
    free(v->keys);
    free(v->key_lens);
    free(v->items);
    free(v->str);
    free(v);
}

bool jp_is_object(const jp_value *v)
{
    return v && v->type == JP_OBJECT;
}

eddy_sql_value jp_get(const jp_value *root, const char *const *parts, const uint32_t *lens,
                      uint32_t n)
{
    eddy_sql_value out = {.type = EDDY_SQL_V_NULL};
    const jp_value *v = root;
    for (uint32_t k = 0; k < n; k++) {
        if (!v || v->type != JP_OBJECT) {
            return out;
        }
        const jp_value *found = NULL;
        for (size_t m = 0; m < v->n; m++) {
            if (v->key_lens[m] == lens[k] && memcmp(v->keys[m], parts[k], lens[k]) == 0) {
                found = v->items[m];
                break;
            }
        }
        v = found;
    }
    if (!v) {
        return out;
    }
    switch (v->type) {
    case JP_BOOL:
        out.type = EDDY_SQL_V_BOOL;
        out.b = v->b;
        break;
    case JP_INT:
        out.type = EDDY_SQL_V_INT;
        out.i = v->i;
        break;
    case JP_DOUBLE:
        out.type = EDDY_SQL_V_DOUBLE;
        out.d = v->d;
        break;
    case JP_STRING:
        out.type = EDDY_SQL_V_STRING;
        out.s.p = v->str ? v->str : "";
        out.s.len = (uint32_t)v->len;
        break;
    case JP_OBJECT:
    case JP_ARRAY:
        out.type = v->type == JP_OBJECT ? EDDY_SQL_V_RECORD : EDDY_SQL_V_ARRAY;
        out.s.p = v->text;
        out.s.len = (uint32_t)v->text_len;
        break;
    default:
        break;
    }
    return out;
}

size_t jp_keys(const jp_value *root, const char ***keys, const size_t **lens)
{
    *keys = root->keys;
    *lens = root->key_lens;
    return root->type == JP_OBJECT ? root->n : 0;
}
