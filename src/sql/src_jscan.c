/* The JSON scanner with projection pushdown (src_int.h), for JSON lines
 * files and the lake's Body.
 *
 * It walks one object and decodes only the values of projected paths (a
 * trie: the line's keys are matched against the root's children, a nested
 * object is entered only when a projected path goes through it); every
 * other value is skipped structurally: a string by searching for the next
 * quote or backslash (16 bytes at a time with SSE2), an object or array by
 * counting brackets outside strings. Skipped nested values are therefore
 * checked only for balance; keys, colons, commas and every value the scan
 * decodes are checked fully.
 *
 * Lines of a file mostly repeat their keys in the same order, so the
 * scanner remembers, per object of the trie and per key position, the key
 * seen there last time: the next line's key is first compared with that
 * one (a memcmp and the closing quote), and only a miss searches for the
 * key's end and looks it up.
 *
 * Semantics (shared with the oracle in tests/unit/json_plain.c): the first
 * occurrence of a duplicate key wins; strings are unescaped (\uXXXX with
 * surrogate pairs to UTF-8; a lone surrogate becomes U+FFFD) and otherwise
 * point into the input; integers that fit become INT, other numbers DOUBLE
 * (correctly rounded: Clinger's fast path, else strtod); an object or
 * array value is RECORD or ARRAY holding its text exactly as in the input;
 * null and missing values are null. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/utf8.h"
#include "core/error.h"
#include "sql/src_int.h"

/* ---- the trie -------------------------------------------------------- */

static uint32_t key_hash(const char *p, size_t n)
{
    uint32_t h = 2166136261u ^ (uint32_t)n;
    size_t m = n < 16 ? n : 16;
    for (size_t i = 0; i < m; i++) {
        h = (h ^ (uint8_t)p[i]) * 16777619u;
    }
    if (n > 16) {
        h = (h ^ (uint8_t)p[n - 1]) * 16777619u;
    }
    return h ^ (h >> 15);
}

static int32_t add_node(src_ptrie *t, uint32_t *cap, const char *name, uint32_t len)
{
    if (t->nnodes == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 16;
        src_pnode *nv = realloc(t->nodes, ncap * sizeof *nv);
        if (!nv) {
            return -1;
        }
        t->nodes = nv;
        *cap = ncap;
    }
    src_pnode *n = &t->nodes[t->nnodes];
    memset(n, 0, sizeof *n);
    n->name = name ? eddy_arena_memdup(&t->arena, name, len) : "";
    if (!n->name) {
        return -1;
    }
    n->len = len;
    n->col = -1;
    return (int32_t)t->nnodes++;
}

static int add_kid(src_ptrie *t, uint32_t parent, uint32_t kid)
{
    src_pnode *n = &t->nodes[parent];
    uint32_t *nk = realloc(n->kids, (n->nkids + 1) * sizeof *nk);
    if (!nk) {
        return EDDY_ERR_NOMEM;
    }
    nk[n->nkids++] = kid;
    n->kids = nk;
    return 0;
}

static int32_t find_linear(const src_ptrie *t, const src_pnode *n, const char *key, size_t len)
{
    for (uint32_t i = 0; i < n->nkids; i++) {
        const src_pnode *k = &t->nodes[n->kids[i]];
        if (k->len == len && memcmp(k->name, key, len) == 0) {
            return (int32_t)n->kids[i];
        }
    }
    return -1;
}

int32_t src_ptrie_find(const src_ptrie *t, uint32_t node, const char *key, size_t len)
{
    const src_pnode *n = &t->nodes[node];
    if (!n->htab) {
        return find_linear(t, n, key, len);
    }
    for (uint32_t h = key_hash(key, len) & n->hmask;; h = (h + 1) & n->hmask) {
        uint16_t v = n->htab[h];
        if (!v) {
            return -1;
        }
        const src_pnode *k = &t->nodes[n->kids[v - 1]];
        if (k->len == len && memcmp(k->name, key, len) == 0) {
            return (int32_t)n->kids[v - 1];
        }
    }
}

int src_ptrie_build(src_ptrie *t, const eddy_sql_src_col *cols, const uint32_t *ids, size_t n)
{
    memset(t, 0, sizeof *t);
    eddy_arena_init(&t->arena, 0, 0);
    uint32_t cap = 0;
    if (add_node(t, &cap, NULL, 0) < 0) {
        goto nomem;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t at = 0;
        for (uint32_t j = 0; j < cols[i].nparts; j++) {
            int32_t k = find_linear(t, &t->nodes[at], cols[i].parts[j], cols[i].lens[j]);
            if (k < 0) {
                k = add_node(t, &cap, cols[i].parts[j], cols[i].lens[j]);
                if (k < 0 || add_kid(t, at, (uint32_t)k)) {
                    goto nomem;
                }
            }
            at = (uint32_t)k;
        }
        if (at != 0) {
            t->nodes[at].col = (int32_t)ids[i];
        }
    }
    for (uint32_t i = 0; i < t->nnodes; i++) {
        src_pnode *p = &t->nodes[i];
        if (p->nkids <= 4 || p->nkids >= 0x8000) {
            continue;
        }
        uint32_t size = 8;
        while (size < p->nkids * 2) {
            size *= 2;
        }
        p->htab = eddy_arena_calloc(&t->arena, size, sizeof *p->htab);
        if (!p->htab) {
            goto nomem;
        }
        p->hmask = size - 1;
        for (uint32_t k = 0; k < p->nkids; k++) {
            const src_pnode *kn = &t->nodes[p->kids[k]];
            uint32_t h = key_hash(kn->name, kn->len) & p->hmask;
            while (p->htab[h]) {
                h = (h + 1) & p->hmask;
            }
            p->htab[h] = (uint16_t)(k + 1);
        }
    }
    return 0;
nomem:
    src_ptrie_free(t);
    return EDDY_ERR_NOMEM;
}

void src_ptrie_free(src_ptrie *t)
{
    for (uint32_t i = 0; i < t->nnodes; i++) {
        free(t->nodes[i].kids);
    }
    free(t->nodes);
    eddy_arena_deinit(&t->arena);
    memset(t, 0, sizeof *t);
}

/* ---- scanning primitives ---------------------------------------------- */

static inline const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
        p++;
    }
    return p;
}

/* The first '"' or '\\' in [p, end), or end. */
static inline const char *find_qb(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i q = _mm_set1_epi8('"');
    const __m128i b = _mm_set1_epi8('\\');
    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, b)));
        if (m) {
            return p + __builtin_ctz((unsigned)m);
        }
        p += 16;
    }
#endif
    while (p < end && *p != '"' && *p != '\\') {
        p++;
    }
    return p;
}

/* p is just past an opening quote: returns just past the closing one, or
 * NULL when the string does not end before end. *esc tells whether it
 * holds a backslash. */
static inline const char *string_end(const char *p, const char *end, bool *esc)
{
    for (;;) {
        p = find_qb(p, end);
        if (p >= end) {
            return NULL;
        }
        if (*p == '"') {
            return p + 1;
        }
        *esc = true;
        if (end - p < 2) {
            return NULL;
        }
        p += 2;
    }
}

static const char *fail(jscan *js, const char *at, const char *what)
{
    js->what = what;
    js->at = at;
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

static int hex4(const char *p, const char *end)
{
    if (end - p < 4) {
        return -1;
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0) {
            return -1;
        }
        v = v << 4 | h;
    }
    return v;
}

/* Unescapes the string body [p, end) (no closing quote) into d, which has
 * room for end - p bytes (an escape never grows: \uXXXX is 6 bytes for at
 * most 3, a pair 12 for 4). Returns the length, or -1 with the bad escape
 * in *bad. */
static ptrdiff_t unescape(const char *p, const char *end, char *d, const char **bad)
{
    char *d0 = d;
    while (p < end) {
        const char *b = memchr(p, '\\', (size_t)(end - p));
        if (!b) {
            b = end;
        }
        memcpy(d, p, (size_t)(b - p));
        d += b - p;
        p = b;
        if (p >= end) {
            break;
        }
        *bad = p;
        if (end - p < 2) {
            return -1;
        }
        char c = p[1];
        p += 2;
        switch (c) {
        case '"':
        case '\\':
        case '/':
            *d++ = c;
            break;
        case 'b':
            *d++ = '\b';
            break;
        case 'f':
            *d++ = '\f';
            break;
        case 'n':
            *d++ = '\n';
            break;
        case 'r':
            *d++ = '\r';
            break;
        case 't':
            *d++ = '\t';
            break;
        case 'u': {
            int u = hex4(p, end);
            if (u < 0) {
                return -1;
            }
            p += 4;
            uint32_t cp = (uint32_t)u;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int lo = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2, end) : -1;
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                    p += 6;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            d += eddy_utf8_encode(d, cp);
            break;
        }
        default:
            return -1;
        }
    }
    return d - d0;
}

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static inline bool is_digit(char c)
{
    return (unsigned char)(c - '0') < 10;
}

/* The hard cases: glibc's strtod rounds correctly. */
static double slow_double(const char *start, const char *end)
{
    size_t n = (size_t)(end - start);
    char small[128];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf) {
        return NAN;
    }
    memcpy(buf, start, n);
    buf[n] = '\0';
    double d = strtod(buf, NULL);
    if (buf != small) {
        free(buf);
    }
    return d;
}

const char *jscan_number(const char *p, const char *end, bool *is_int, int64_t *iv, double *dv)
{
    const char *start = p;
    bool neg = p < end && *p == '-';
    p += neg;
    /* Integer part: "0", or a digit 1-9 and more digits. */
    const char *ds = p;
    uint64_t m = 0;
    if (p < end && *p == '0') {
        p++;
    } else {
        while (p < end && is_digit(*p)) {
            m = m * 10 + (uint64_t)(*p - '0');
            p++;
        }
        if (p == ds) {
            return NULL;
        }
    }
    size_t nd = (size_t)(p - ds); /* digits in m (wraps past 19; then unused) */
    int64_t e10 = 0;
    bool plain = true;
    if (p < end && *p == '.') {
        plain = false;
        const char *fs = ++p;
        while (p < end && is_digit(*p)) {
            m = m * 10 + (uint64_t)(*p - '0');
            p++;
        }
        if (p == fs) {
            return NULL;
        }
        nd += (size_t)(p - fs);
        e10 = -(int64_t)(p - fs);
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        plain = false;
        p++;
        bool eneg = false;
        if (p < end && (*p == '+' || *p == '-')) {
            eneg = *p == '-';
            p++;
        }
        const char *es = p;
        int64_t ev = 0;
        while (p < end && is_digit(*p)) {
            if (ev < 1000000) {
                ev = ev * 10 + (*p - '0');
            }
            p++;
        }
        if (p == es) {
            return NULL;
        }
        e10 += eneg ? -ev : ev;
    }
    if (plain && nd <= 19) {
        /* 19 digits cannot wrap a uint64. */
        if (!neg && m <= (uint64_t)INT64_MAX) {
            *is_int = true;
            *iv = (int64_t)m;
            return p;
        }
        if (neg && m <= (uint64_t)INT64_MAX + 1) {
            *is_int = true;
            *iv = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
            return p;
        }
    }
    *is_int = false;
    if (nd <= 19 && m <= (1ull << 53) && e10 >= -22 && e10 <= 22) {
        /* Clinger's fast path: m and 10^|e10| are exact, so one correctly
         * rounded multiplication or division gives the nearest double. */
        double x = (double)m;
        x = e10 < 0 ? x / pow10_exact[-e10] : x * pow10_exact[e10];
        *dv = neg ? -x : x;
        return p;
    }
    *dv = slow_double(start, p);
    return p;
}

/* Skips a number without converting it (the same grammar). */
static const char *skip_number(jscan *js, const char *p, const char *end)
{
    const char *s = p;
    if (p < end && *p == '-') {
        p++;
    }
    if (p < end && *p == '0') {
        p++;
    } else if (p < end && *p >= '1' && *p <= '9') {
        while (p < end && is_digit(*p)) {
            p++;
        }
    } else {
        return fail(js, s, "invalid number");
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !is_digit(*p)) {
            return fail(js, s, "invalid number");
        }
        while (p < end && is_digit(*p)) {
            p++;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-')) {
            p++;
        }
        if (p >= end || !is_digit(*p)) {
            return fail(js, s, "invalid number");
        }
        while (p < end && is_digit(*p)) {
            p++;
        }
    }
    return p;
}

/* Bytes that matter while skipping a nested value. */
static const uint8_t nest_class[256] = {['"'] = 1, ['{'] = 2, ['['] = 2, ['}'] = 3, [']'] = 3};

/* Skips the object or array at p by counting brackets outside strings. */
static const char *skip_nested(jscan *js, const char *p, const char *end)
{
    const char *s = p;
    size_t depth = 0;
    while (p < end) {
        uint8_t k = nest_class[(uint8_t)*p];
        if (!k) {
            p++;
            continue;
        }
        if (k == 1) {
            bool esc = false;
            p = string_end(p + 1, end, &esc);
            if (!p) {
                return fail(js, s, *s == '{' ? "unterminated object" : "unterminated array");
            }
            continue;
        }
        if (k == 2) {
            depth++;
        } else if (--depth == 0) {
            return p + 1;
        }
        p++;
    }
    return fail(js, s, *s == '{' ? "unterminated object" : "unterminated array");
}

static const char *literal(jscan *js, const char *p, const char *end, const char *word, size_t n)
{
    if ((size_t)(end - p) < n || memcmp(p, word, n) != 0) {
        return fail(js, p, "invalid literal");
    }
    return p + n;
}

static const char *skip_value(jscan *js, const char *p, const char *end)
{
    switch (*p) {
    case '"': {
        bool esc = false;
        const char *q = string_end(p + 1, end, &esc);
        return q ? q : fail(js, p, "unterminated string");
    }
    case '{':
    case '[':
        return skip_nested(js, p, end);
    case 't':
        return literal(js, p, end, "true", 4);
    case 'f':
        return literal(js, p, end, "false", 5);
    case 'n':
        return literal(js, p, end, "null", 4);
    default:
        if (*p == '-' || is_digit(*p)) {
            return skip_number(js, p, end);
        }
        return fail(js, p, "expected a value");
    }
}

static const char *parse_object(jscan *js, uint32_t node, const char *p, const char *end,
                                uint32_t row);

/* Decodes the value at p of projected node kid. */
static const char *take_value(jscan *js, uint32_t kid, const char *p, const char *end, uint32_t row)
{
    const src_pnode *n = &js->trie->nodes[kid];
    src_col *c = n->col >= 0 ? &js->cols[n->col] : NULL;
    const char *q;
    switch (*p) {
    case '"': {
        bool esc = false;
        q = string_end(p + 1, end, &esc);
        if (!q) {
            return fail(js, p, "unterminated string");
        }
        if (!c) {
            return q;
        }
        size_t len = (size_t)(q - 1 - (p + 1));
        if (!esc) {
            src_col_put_text(c, row, EDDY_SQL_V_STRING, p + 1, len);
            return q;
        }
        char *d = eddy_arena_alloc(js->arena, len);
        if (!d) {
            return fail(js, p, "out of memory");
        }
        const char *bad = p;
        ptrdiff_t m = unescape(p + 1, q - 1, d, &bad);
        if (m < 0) {
            return fail(js, bad, "invalid escape");
        }
        src_col_put_text(c, row, EDDY_SQL_V_STRING, d, (size_t)m);
        return q;
    }
    case '{':
        q = n->nkids ? parse_object(js, kid, p, end, row) : skip_nested(js, p, end);
        if (q && c) {
            src_col_put_text(c, row, EDDY_SQL_V_RECORD, p, (size_t)(q - p));
        }
        return q;
    case '[':
        q = skip_nested(js, p, end);
        if (q && c) {
            src_col_put_text(c, row, EDDY_SQL_V_ARRAY, p, (size_t)(q - p));
        }
        return q;
    case 't':
        q = literal(js, p, end, "true", 4);
        if (q && c) {
            src_col_put_bool(c, row, true);
        }
        return q;
    case 'f':
        q = literal(js, p, end, "false", 5);
        if (q && c) {
            src_col_put_bool(c, row, false);
        }
        return q;
    case 'n':
        return literal(js, p, end, "null", 4);
    default:
        if (*p != '-' && !is_digit(*p)) {
            return fail(js, p, "expected a value");
        }
        if (!c) {
            return skip_number(js, p, end);
        }
        bool is_int;
        int64_t i;
        double d;
        q = jscan_number(p, end, &is_int, &i, &d);
        if (!q) {
            return fail(js, p, "invalid number");
        }
        if (is_int) {
            src_col_put_int(c, row, i);
        } else {
            src_col_put_double(c, row, d);
        }
        return q;
    }
}

/* Looks up an escaped key: unescaped into js->kbuf first. */
static const char *lookup_escaped(jscan *js, uint32_t node, const char *k, const char *kend,
                                  int32_t *kid)
{
    size_t n = (size_t)(kend - k);
    if (n > js->kcap) {
        char *nb = realloc(js->kbuf, n);
        if (!nb) {
            return fail(js, k, "out of memory");
        }
        js->kbuf = nb;
        js->kcap = n;
    }
    const char *bad = k;
    ptrdiff_t m = unescape(k, kend, js->kbuf, &bad);
    if (m < 0) {
        return fail(js, bad, "invalid escape");
    }
    *kid = src_ptrie_find(js->trie, node, js->kbuf, (size_t)m);
    return kend;
}

/* Whether the key at p (past its opening quote) is the predicted one:
 * its bytes and the closing quote (kept after the key in pr->key), in two
 * masked 8-byte compares for keys of up to 15 bytes. */
static inline bool pred_match(const char *p, const char *end, const jscan_pred *pr)
{
    size_t n = (size_t)pr->len + 1;
    if (pr->len == 0 || (size_t)(end - p) < n) {
        return false;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n <= 16 && end - p >= 16) {
        uint64_t a0, b0, a1, b1;
        memcpy(&a0, p, 8);
        memcpy(&b0, pr->key, 8);
        if (n <= 8) {
            uint64_t mask = n == 8 ? ~0ull : (1ull << (8 * n)) - 1;
            return ((a0 ^ b0) & mask) == 0;
        }
        memcpy(&a1, p + 8, 8);
        memcpy(&b1, pr->key + 8, 8);
        uint64_t mask = n == 16 ? ~0ull : (1ull << (8 * (n - 8))) - 1;
        return a0 == b0 && ((a1 ^ b1) & mask) == 0;
    }
#endif
    return memcmp(p, pr->key, n) == 0;
}

/* The object at p ('{') of trie node node. */
static const char *parse_object(jscan *js, uint32_t node, const char *p, const char *end,
                                uint32_t row)
{
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}') {
        return p + 1;
    }
    jscan_pred *pred = js->pred + (size_t)node * JSCAN_PRED;
    for (uint32_t k = 0;; k++) {
        if (p >= end || *p != '"') {
            return fail(js, p, "expected a key");
        }
        p++;
        int32_t kid;
        jscan_pred *pr = k < JSCAN_PRED ? &pred[k] : NULL;
        if (pr && pred_match(p, end, pr)) {
            kid = pr->kid;
            p += pr->len + 1;
        } else {
            bool esc = false;
            const char *q = string_end(p, end, &esc);
            if (!q) {
                return fail(js, p - 1, "unterminated key");
            }
            size_t klen = (size_t)(q - 1 - p);
            if (esc) {
                if (!lookup_escaped(js, node, p, q - 1, &kid)) {
                    return NULL;
                }
                if (pr) {
                    pr->len = 0;
                }
            } else {
                kid = src_ptrie_find(js->trie, node, p, klen);
                if (pr) {
                    if (klen && klen <= JSCAN_PRED_LEN) {
                        memcpy(pr->key, p, klen);
                        pr->key[klen] = '"';
                        pr->len = (uint8_t)klen;
                        pr->kid = kid;
                    } else {
                        pr->len = 0;
                    }
                }
            }
            p = q;
        }
        p = skip_ws(p, end);
        if (p >= end || *p != ':') {
            return fail(js, p, "expected ':' after a key");
        }
        p = skip_ws(p + 1, end);
        if (p >= end) {
            return fail(js, p, "expected a value");
        }
        if (kid >= 0 && js->stamp[kid] != js->line) {
            js->stamp[kid] = js->line;
            p = take_value(js, (uint32_t)kid, p, end, row);
        } else {
            p = skip_value(js, p, end);
        }
        if (!p) {
            return NULL;
        }
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p < end && *p == '}') {
            return p + 1;
        }
        return fail(js, p, "expected ',' or '}'");
    }
}

int jscan_init(jscan *js, const src_ptrie *trie, src_col *cols, eddy_arena *arena)
{
    memset(js, 0, sizeof *js);
    js->trie = trie;
    js->cols = cols;
    js->arena = arena;
    js->stamp = calloc(trie->nnodes, sizeof *js->stamp);
    js->pred = calloc((size_t)trie->nnodes * JSCAN_PRED, sizeof *js->pred);
    if (!js->stamp || !js->pred) {
        jscan_deinit(js);
        return EDDY_ERR_NOMEM;
    }
    return 0;
}

void jscan_deinit(jscan *js)
{
    free(js->stamp);
    free(js->pred);
    free(js->kbuf);
    memset(js, 0, sizeof *js);
}

int jscan_object(jscan *js, const char *p, const char *end, uint32_t row, bool blank_ok)
{
    if (++js->line == 0) {
        memset(js->stamp, 0, js->trie->nnodes * sizeof *js->stamp);
        js->line = 1;
    }
    p = skip_ws(p, end);
    if (p >= end) {
        if (blank_ok) {
            return 0;
        }
        fail(js, p, "expected a JSON object");
        return -1;
    }
    if (*p != '{') {
        fail(js, p, "expected a JSON object");
        return -1;
    }
    const char *q = parse_object(js, 0, p, end, row);
    if (!q) {
        return -1;
    }
    q = skip_ws(q, end);
    if (q != end) {
        fail(js, q, "unexpected text after the object");
        return -1;
    }
    return 1;
}

int jscan_keys(const char *p, const char *end, jscan_key_fn fn, void *ctx)
{
    jscan js;
    memset(&js, 0, sizeof js);
    int rc = -1;
    p = skip_ws(p, end);
    if (p >= end || *p != '{') {
        return -1;
    }
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}') {
        return 0;
    }
    for (;;) {
        if (p >= end || *p != '"') {
            goto out;
        }
        bool esc = false;
        const char *q = string_end(p + 1, end, &esc);
        if (!q) {
            goto out;
        }
        const char *k = p + 1, *kend = q - 1;
        if (esc) {
            size_t n = (size_t)(kend - k);
            char *b = malloc(n ? n : 1);
            const char *bad;
            ptrdiff_t m = b ? unescape(k, kend, b, &bad) : -1;
            int frc = m >= 0 ? fn(ctx, b, (size_t)m) : -1;
            free(b);
            if (frc) {
                goto out;
            }
        } else if (fn(ctx, k, (size_t)(kend - k))) {
            goto out;
        }
        p = skip_ws(q, end);
        if (p >= end || *p != ':') {
            goto out;
        }
        p = skip_ws(p + 1, end);
        if (p >= end || !(p = skip_value(&js, p, end))) {
            goto out;
        }
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p < end && *p == '}') {
            rc = 0;
        }
        goto out;
    }
out:
    return rc;
}
