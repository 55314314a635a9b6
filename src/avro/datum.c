/* Datum decoding by compiled schema: skip, read, walk, print as JSON (see
 * avro.h).
 *
 * All functions read through an eddy_reader over a block's data, which
 * bounds every read. What the reader cannot know, the decoder checks: a
 * length or an element count must fit in the bytes left (a count of
 * elements that take at least m bytes each is at most left / m; elements
 * that take no bytes, such as nulls, draw on a per-datum budget), union
 * and enum indexes must be in range, booleans are 0 or 1, and nesting of
 * recursive types stops at EDDY_AVRO_MAX_DEPTH. The first failure is kept
 * in the decoder with the reader position where the failing value began. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro/avro.h"
#include "avro/avro_int.h"
#include "core/error.h"

void eddy_avro_decoder_init(eddy_avro_decoder *d)
{
    memset(d, 0, sizeof *d);
    d->zero_budget = EDDY_AVRO_ZERO_BUDGET;
}

void eddy_avro_decoder_reset(eddy_avro_decoder *d)
{
    d->zero_budget = EDDY_AVRO_ZERO_BUDGET;
    d->depth = 0;
    d->err = 0;
    d->what = NULL;
    d->at = 0;
}

static int dfail(eddy_avro_decoder *d, eddy_reader *r, size_t at, int code, const char *what)
{
    if (!d->err) {
        d->err = code;
        d->what = what;
        d->at = at;
    }
    eddy_reader_fail(r);
    return d->err;
}

/* Why a varint at `at` failed: the data ended, or it is too long. */
static const char *varint_problem(const eddy_reader *r, size_t at, size_t max_bytes)
{
    for (size_t i = at; i < r->len && i < at + max_bytes; i++) {
        if (!(r->p[i] & 0x80)) {
            return "varint out of range";
        }
    }
    return r->len - at < max_bytes ? "value runs past the end of the data" : "varint too long";
}

static inline bool get_long(eddy_avro_decoder *d, eddy_reader *r, int64_t *v)
{
    size_t at = r->pos;
    *v = eddy_reader_varlong(r);
    if (r->err) {
        dfail(d, r, at, EDDY_ERR_PARSE, varint_problem(r, at, EDDY_VARINT64_MAX));
        return false;
    }
    return true;
}

static inline bool get_int(eddy_avro_decoder *d, eddy_reader *r, int64_t *v)
{
    size_t at = r->pos;
    *v = eddy_reader_varint(r);
    if (r->err) {
        dfail(d, r, at, EDDY_ERR_PARSE, varint_problem(r, at, EDDY_VARINT32_MAX));
        return false;
    }
    return true;
}

/* A length-prefixed run (bytes, string). */
static inline bool get_bytes(eddy_avro_decoder *d, eddy_reader *r, const uint8_t **p, size_t *n)
{
    size_t at = r->pos;
    int64_t len;
    if (!get_long(d, r, &len)) {
        return false;
    }
    if (len < 0) {
        dfail(d, r, at, EDDY_ERR_PARSE, "negative length");
        return false;
    }
    if ((uint64_t)len > eddy_reader_remaining(r)) {
        dfail(d, r, at, EDDY_ERR_PARSE, "length runs past the end of the data");
        return false;
    }
    *p = eddy_reader_bytes(r, (size_t)len);
    *n = (size_t)len;
    if (!*p) {
        *p = (const uint8_t *)""; /* a zero length at the very end */
    }
    return true;
}

static inline bool get_fixed(eddy_avro_decoder *d, eddy_reader *r, size_t n, const uint8_t **p)
{
    size_t at = r->pos;
    if (n > eddy_reader_remaining(r)) {
        dfail(d, r, at, EDDY_ERR_PARSE, "value runs past the end of the data");
        return false;
    }
    *p = eddy_reader_bytes(r, n);
    if (!*p) {
        *p = (const uint8_t *)"";
    }
    return true;
}

static inline bool enter(eddy_avro_decoder *d, eddy_reader *r)
{
    if (++d->depth > EDDY_AVRO_MAX_DEPTH) {
        d->depth--;
        dfail(d, r, r->pos, EDDY_ERR_LIMIT, "datum nested deeper than the depth limit");
        return false;
    }
    return true;
}

/* Reads a union index and returns the branch, or NULL. */
static const eddy_avro_node *get_branch(eddy_avro_decoder *d, const eddy_avro_node *n,
                                        eddy_reader *r, int32_t *idx)
{
    size_t at = r->pos;
    int64_t i;
    if (!get_long(d, r, &i)) {
        return NULL;
    }
    if (i < 0 || (uint64_t)i >= n->count) {
        dfail(d, r, at, EDDY_ERR_PARSE, "union branch index out of range");
        return NULL;
    }
    *idx = (int32_t)i;
    return n->items[i];
}

/* Bytes the smallest element of an array or map takes. */
static uint64_t elem_min(const eddy_avro_node *n)
{
    return n->type == EDDY_AVRO_MAP ? 1 + (uint64_t)n->items[0]->min_size : n->items[0]->min_size;
}

/* Checks a block's element count against the bytes left (or the zero-size
 * budget). */
static bool check_count(eddy_avro_decoder *d, const eddy_avro_node *n, eddy_reader *r, size_t at,
                        int64_t count)
{
    uint64_t m = elem_min(n);
    if (m) {
        if ((uint64_t)count > eddy_reader_remaining(r) / m) {
            dfail(d, r, at, EDDY_ERR_PARSE, "element count exceeds the data");
            return false;
        }
        return true;
    }
    if ((uint64_t)count > d->zero_budget) {
        dfail(d, r, at, EDDY_ERR_LIMIT, "too many elements of a zero-size type");
        return false;
    }
    d->zero_budget -= (uint64_t)count;
    return true;
}

/* Reads a block header: *count elements (0 at the end); a negative count
 * is followed by the block's byte size, returned in *size (else -1). */
static bool block_head(eddy_avro_decoder *d, const eddy_avro_node *n, eddy_reader *r,
                       int64_t *count, int64_t *size)
{
    size_t at = r->pos;
    *size = -1;
    if (!get_long(d, r, count)) {
        return false;
    }
    if (*count < 0) {
        if (*count == INT64_MIN) {
            dfail(d, r, at, EDDY_ERR_PARSE, "element count out of range");
            return false;
        }
        *count = -*count;
        if (!get_long(d, r, size)) {
            return false;
        }
        if (*size < 0 || (uint64_t)*size > eddy_reader_remaining(r)) {
            dfail(d, r, at, EDDY_ERR_PARSE, "block size runs past the end of the data");
            return false;
        }
    }
    return *count == 0 || check_count(d, n, r, at, *count);
}

int eddy_avro_skip(eddy_avro_decoder *d, const eddy_avro_node *n, eddy_reader *r)
{
    if (d->err) {
        return d->err;
    }
    if (r->err) {
        return dfail(d, r, r->pos, EDDY_ERR_PARSE, "reader failed earlier");
    }
    int64_t v;
    const uint8_t *p;
    size_t len;
    switch (n->type) {
    case EDDY_AVRO_NULL:
        return 0;
    case EDDY_AVRO_BOOLEAN:
        get_fixed(d, r, 1, &p);
        break;
    case EDDY_AVRO_INT:
        get_int(d, r, &v);
        break;
    case EDDY_AVRO_LONG:
        get_long(d, r, &v);
        break;
    case EDDY_AVRO_FLOAT:
        get_fixed(d, r, 4, &p);
        break;
    case EDDY_AVRO_DOUBLE:
        get_fixed(d, r, 8, &p);
        break;
    case EDDY_AVRO_BYTES:
    case EDDY_AVRO_STRING:
        get_bytes(d, r, &p, &len);
        break;
    case EDDY_AVRO_FIXED:
        get_fixed(d, r, n->count, &p);
        break;
    case EDDY_AVRO_ENUM: {
        size_t at = r->pos;
        if (get_int(d, r, &v) && (v < 0 || (uint64_t)v >= n->count)) {
            dfail(d, r, at, EDDY_ERR_PARSE, "enum index out of range");
        }
        break;
    }
    case EDDY_AVRO_UNION: {
        int32_t idx;
        const eddy_avro_node *b = get_branch(d, n, r, &idx);
        if (b && enter(d, r)) {
            eddy_avro_skip(d, b, r);
            d->depth--;
        }
        break;
    }
    case EDDY_AVRO_RECORD:
        if (enter(d, r)) {
            for (size_t i = 0; i < n->count && !d->err; i++) {
                eddy_avro_skip(d, n->items[i], r);
            }
            d->depth--;
        }
        break;
    case EDDY_AVRO_ARRAY:
    case EDDY_AVRO_MAP: {
        if (!enter(d, r)) {
            break;
        }
        int64_t count, size;
        while (block_head(d, n, r, &count, &size) && count > 0) {
            if (size >= 0) {
                eddy_reader_skip(r, (size_t)size); /* checked by block_head */
                continue;
            }
            for (int64_t i = 0; i < count && !d->err; i++) {
                if (n->type == EDDY_AVRO_MAP) {
                    get_bytes(d, r, &p, &len);
                }
                eddy_avro_skip(d, n->items[0], r);
            }
            if (d->err) {
                break;
            }
        }
        d->depth--;
        break;
    }
    }
    return d->err;
}

static inline float load_f32(const uint8_t *p)
{
    uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static inline double load_f64(const uint8_t *p)
{
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--) {
        u = u << 8 | p[i];
    }
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* Reads a value of a non-union type n into v. */
static int read_plain(eddy_avro_decoder *d, const eddy_avro_node *n, eddy_reader *r,
                      eddy_avro_value *v)
{
    const uint8_t *p;
    size_t at = r->pos;
    v->node = n;
    switch (n->type) {
    case EDDY_AVRO_NULL:
        break;
    case EDDY_AVRO_BOOLEAN:
        if (get_fixed(d, r, 1, &p)) {
            if (p[0] > 1) {
                return dfail(d, r, at, EDDY_ERR_PARSE, "boolean byte not 0 or 1");
            }
            v->u.boolean = p[0] == 1;
        }
        break;
    case EDDY_AVRO_INT:
        get_int(d, r, &v->u.l);
        break;
    case EDDY_AVRO_LONG:
        get_long(d, r, &v->u.l);
        break;
    case EDDY_AVRO_FLOAT:
        if (get_fixed(d, r, 4, &p)) {
            v->u.d = load_f32(p);
        }
        break;
    case EDDY_AVRO_DOUBLE:
        if (get_fixed(d, r, 8, &p)) {
            v->u.d = load_f64(p);
        }
        break;
    case EDDY_AVRO_BYTES:
    case EDDY_AVRO_STRING:
        get_bytes(d, r, &v->u.bytes.p, &v->u.bytes.n);
        break;
    case EDDY_AVRO_FIXED:
        if (get_fixed(d, r, n->count, &v->u.bytes.p)) {
            v->u.bytes.n = n->count;
        }
        break;
    case EDDY_AVRO_ENUM:
        if (get_int(d, r, &v->u.l) && (v->u.l < 0 || (uint64_t)v->u.l >= n->count)) {
            dfail(d, r, at, EDDY_ERR_PARSE, "enum index out of range");
        }
        break;
    default:
        /* record, array, map: the span. */
        if (eddy_avro_skip(d, n, r) == 0) {
            v->u.bytes.p = r->p + at;
            v->u.bytes.n = r->pos - at;
        }
        break;
    }
    return d->err;
}

int eddy_avro_read_value(eddy_avro_decoder *d, const eddy_avro_node *n, eddy_reader *r,
                         eddy_avro_value *v)
{
    memset(v, 0, sizeof *v);
    v->branch = -1;
    if (d->err) {
        return d->err;
    }
    if (n->type == EDDY_AVRO_UNION) {
        n = get_branch(d, n, r, &v->branch);
        if (!n) {
            return d->err;
        }
    }
    return read_plain(d, n, r, v);
}

int eddy_avro_read_record(eddy_avro_decoder *d, const eddy_avro_node *rec, eddy_reader *r,
                          eddy_avro_value *fields, const bool *want)
{
    if (d->err) {
        return d->err;
    }
    if (rec->type != EDDY_AVRO_RECORD) {
        return dfail(d, r, r->pos, EDDY_ERR_INVALID_ARG, "not a record type");
    }
    if (!enter(d, r)) {
        return d->err;
    }
    for (size_t i = 0; i < rec->count && !d->err; i++) {
        if (!want || want[i]) {
            eddy_avro_read_value(d, rec->items[i], r, &fields[i]);
        } else {
            eddy_avro_skip(d, rec->items[i], r);
        }
    }
    d->depth--;
    return d->err;
}

void eddy_avro_coll_begin(eddy_avro_coll *c, eddy_avro_decoder *d, const eddy_avro_node *n,
                          eddy_reader *r)
{
    c->d = d;
    c->node = n;
    c->r = r;
    c->left = 0;
    c->block_end = SIZE_MAX;
    c->done = false;
    if (n->type != EDDY_AVRO_ARRAY && n->type != EDDY_AVRO_MAP) {
        dfail(d, r, r->pos, EDDY_ERR_INVALID_ARG, "not an array or map type");
        c->done = true;
    }
}

int eddy_avro_coll_next(eddy_avro_coll *c, const uint8_t **key, size_t *klen)
{
    eddy_avro_decoder *d = c->d;
    if (d->err) {
        return d->err;
    }
    if (c->done) {
        return 0;
    }
    while (c->left == 0) {
        /* A block that declared its byte size must end exactly there
         * (skip trusts the size; the walk must agree with it). */
        if (c->block_end != SIZE_MAX && c->r->pos != c->block_end) {
            return dfail(d, c->r, c->r->pos, EDDY_ERR_PARSE,
                         "block byte size does not match its elements");
        }
        int64_t size;
        if (!block_head(d, c->node, c->r, &c->left, &size)) {
            return d->err;
        }
        c->block_end = size >= 0 ? c->r->pos + (size_t)size : SIZE_MAX;
        if (c->left == 0) {
            c->done = true;
            return 0;
        }
    }
    c->left--;
    if (c->node->type == EDDY_AVRO_MAP) {
        const uint8_t *p;
        size_t n;
        if (!get_bytes(d, c->r, &p, &n)) {
            return d->err;
        }
        if (key) {
            *key = p;
            *klen = n;
        }
    }
    return 1;
}

/* ---- JSON ----------------------------------------------------------- */

size_t avro_u64_to_dec(uint64_t v, char *out)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) {
        out[i] = tmp[n - 1 - i];
    }
    return n;
}

static void put_i64(eddy_buf *out, int64_t v)
{
    char s[21];
    size_t n = 0;
    uint64_t u = (uint64_t)v;
    if (v < 0) {
        s[n++] = '-';
        u = ~u + 1;
    }
    n += avro_u64_to_dec(u, s + n);
    eddy_buf_append(out, s, n);
}

static void put_lit(eddy_buf *out, const char *s)
{
    eddy_buf_append(out, s, strlen(s));
}

void avro_json_put_double(eddy_buf *out, double v, bool single)
{
    char s[40];
    int n = 0;
    /* The shortest precision that reads back to the same value. */
    for (int prec = single ? 6 : 15; prec <= (single ? 9 : 17); prec++) {
        n = snprintf(s, sizeof s, "%.*g", prec, v);
        if (single ? strtof(s, NULL) == (float)v : strtod(s, NULL) == v) {
            break;
        }
    }
    eddy_buf_append(out, s, (size_t)n);
}

static const char hexdig[] = "0123456789abcdef";

static void put_u00(eddy_buf *out, uint8_t c)
{
    uint8_t *p = eddy_buf_extend(out, 6);
    if (p) {
        memcpy(p, "\\u00", 4);
        p[4] = (uint8_t)hexdig[c >> 4];
        p[5] = (uint8_t)hexdig[c & 15];
    }
}

/* Appends an escape for a byte below 0x20, '"' or '\\'. */
static void put_escape(eddy_buf *out, uint8_t c)
{
    const char *e = NULL;
    switch (c) {
    case '"':
        e = "\\\"";
        break;
    case '\\':
        e = "\\\\";
        break;
    case '\n':
        e = "\\n";
        break;
    case '\r':
        e = "\\r";
        break;
    case '\t':
        e = "\\t";
        break;
    case '\b':
        e = "\\b";
        break;
    case '\f':
        e = "\\f";
        break;
    default:
        put_u00(out, c);
        return;
    }
    eddy_buf_append(out, e, 2);
}

size_t avro_utf8_seq(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    if (c >= 0xc2 && c <= 0xdf) {
        return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
    }
    if (c >= 0xe0 && c <= 0xef) {
        if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80) {
            return 0;
        }
        if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0)) {
            return 0; /* overlong, surrogate */
        }
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80) {
            return 0;
        }
        if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90)) {
            return 0; /* overlong, above U+10FFFF */
        }
        return 4;
    }
    return 0;
}

bool avro_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = avro_utf8_seq(s + i, n - i);
        if (!k) {
            return false;
        }
        i += k;
    }
    return true;
}

void eddy_avro_json_put_string(eddy_buf *out, const uint8_t *s, size_t n)
{
    eddy_buf_put_u8(out, '"');
    size_t i = 0;
    while (i < n && !out->err) {
        size_t run = i;
        while (run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\') {
            run++;
        }
        if (run > i) {
            eddy_buf_append(out, s + i, run - i);
            i = run;
            continue;
        }
        uint8_t c = s[i];
        if (c < 0x80) {
            put_escape(out, c);
            i++;
            continue;
        }
        size_t k = avro_utf8_seq(s + i, n - i);
        if (k) {
            eddy_buf_append(out, s + i, k);
            i += k;
        } else {
            put_u00(out, c);
            i++;
        }
    }
    eddy_buf_put_u8(out, '"');
}

/* bytes and fixed: each byte is the code point U+0000..U+00FF. */
static void put_latin1(eddy_buf *out, const uint8_t *s, size_t n)
{
    eddy_buf_put_u8(out, '"');
    for (size_t i = 0; i < n && !out->err; i++) {
        uint8_t c = s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            eddy_buf_put_u8(out, c);
        } else if (c < 0x20 || c == '"' || c == '\\') {
            put_escape(out, c);
        } else {
            put_u00(out, c);
        }
    }
    eddy_buf_put_u8(out, '"');
}

static void put_double_json(eddy_buf *out, double v, bool single)
{
    if (isnan(v)) {
        put_lit(out, "\"NaN\"");
    } else if (isinf(v)) {
        put_lit(out, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else {
        avro_json_put_double(out, v, single);
    }
}

static int json_value(eddy_avro_decoder *d, const eddy_avro_node *n, eddy_reader *r, eddy_buf *out,
                      unsigned flags)
{
    eddy_avro_value v;
    switch (n->type) {
    case EDDY_AVRO_UNION: {
        int32_t idx;
        const eddy_avro_node *b = get_branch(d, n, r, &idx);
        if (!b) {
            return d->err;
        }
        if (b->type == EDDY_AVRO_NULL || (flags & EDDY_AVRO_JSON_PLAIN_UNIONS)) {
            return json_value(d, b, r, out, flags);
        }
        eddy_buf_put_u8(out, '{');
        eddy_avro_json_put_string(out, (const uint8_t *)b->name, strlen(b->name));
        eddy_buf_put_u8(out, ':');
        if (enter(d, r)) {
            json_value(d, b, r, out, flags);
            d->depth--;
        }
        eddy_buf_put_u8(out, '}');
        return d->err;
    }
    case EDDY_AVRO_RECORD:
        if (!enter(d, r)) {
            return d->err;
        }
        eddy_buf_put_u8(out, '{');
        for (size_t i = 0; i < n->count && !d->err && !out->err; i++) {
            if (i) {
                eddy_buf_put_u8(out, ',');
            }
            eddy_buf_put_u8(out, '"');
            eddy_buf_append(out, n->names[i], n->name_lens[i]);
            eddy_buf_append(out, "\":", 2);
            json_value(d, n->items[i], r, out, flags);
        }
        eddy_buf_put_u8(out, '}');
        d->depth--;
        return d->err;
    case EDDY_AVRO_ARRAY:
    case EDDY_AVRO_MAP: {
        if (!enter(d, r)) {
            return d->err;
        }
        bool map = n->type == EDDY_AVRO_MAP;
        eddy_buf_put_u8(out, map ? '{' : '[');
        eddy_avro_coll c;
        eddy_avro_coll_begin(&c, d, n, r);
        const uint8_t *key = NULL;
        size_t klen = 0;
        bool first = true;
        while (!out->err && eddy_avro_coll_next(&c, &key, &klen) == 1) {
            if (!first) {
                eddy_buf_put_u8(out, ',');
            }
            first = false;
            if (map) {
                eddy_avro_json_put_string(out, key, klen);
                eddy_buf_put_u8(out, ':');
            }
            if (json_value(d, n->items[0], r, out, flags)) {
                break;
            }
        }
        eddy_buf_put_u8(out, map ? '}' : ']');
        d->depth--;
        return d->err;
    }
    default:
        break;
    }
    if (read_plain(d, n, r, &v)) {
        return d->err;
    }
    switch (n->type) {
    case EDDY_AVRO_NULL:
        put_lit(out, "null");
        break;
    case EDDY_AVRO_BOOLEAN:
        put_lit(out, v.u.boolean ? "true" : "false");
        break;
    case EDDY_AVRO_INT:
    case EDDY_AVRO_LONG:
        put_i64(out, v.u.l);
        break;
    case EDDY_AVRO_FLOAT:
        put_double_json(out, v.u.d, true);
        break;
    case EDDY_AVRO_DOUBLE:
        put_double_json(out, v.u.d, false);
        break;
    case EDDY_AVRO_STRING:
        eddy_avro_json_put_string(out, v.u.bytes.p, v.u.bytes.n);
        break;
    case EDDY_AVRO_BYTES:
    case EDDY_AVRO_FIXED:
        put_latin1(out, v.u.bytes.p, v.u.bytes.n);
        break;
    case EDDY_AVRO_ENUM:
        eddy_buf_put_u8(out, '"');
        eddy_buf_append(out, n->names[v.u.l], n->name_lens[v.u.l]);
        eddy_buf_put_u8(out, '"');
        break;
    default:
        break;
    }
    return d->err;
}

int eddy_avro_datum_to_json(eddy_avro_decoder *d, const eddy_avro_node *n, eddy_reader *r,
                            eddy_buf *out, unsigned flags)
{
    if (d->err) {
        return d->err;
    }
    if (r->err) {
        return dfail(d, r, r->pos, EDDY_ERR_PARSE, "reader failed earlier");
    }
    json_value(d, n, r, out, flags);
    if (d->err) {
        return d->err;
    }
    return out->err;
}
