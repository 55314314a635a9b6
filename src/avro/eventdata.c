/* EventData, the Event Hubs Capture record (see eventdata.h and
 * docs/format/capture-avro.md).
 *
 * The encoder reserves an upper bound of the datum's size once and writes
 * through a pointer: no allocation, no snprintf. The date is the one costly
 * field, so the "YYYY-MM-DDThh:mm:ss." prefix is cached per thread for the
 * last second seen (events of a capture window mostly share seconds); a new
 * second costs one civil-from-days conversion (H. Hinnant's algorithm). */
#include <string.h>

#include "avro/avro_int.h"
#include "avro/eventdata.h"
#include "core/error.h"

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in epoch ms. */
#define MIN_MS (-62135596800000LL)
#define MAX_MS 253402300799999LL

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static inline void two(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

static _Thread_local int64_t cached_sec = INT64_MIN;
static _Thread_local char cached_prefix[20]; /* "YYYY-MM-DDThh:mm:ss." */

void eddy_avro_format_time(int64_t ms, char out[EDDY_AVRO_TIME_LEN])
{
    ms = ms < MIN_MS ? MIN_MS : ms > MAX_MS ? MAX_MS : ms;
    /* Floor division: before 1970 the millisecond part stays positive. */
    int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    unsigned frac = (unsigned)(ms - sec * 1000);
    if (sec != cached_sec) {
        int64_t days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
        unsigned tod = (unsigned)(sec - days * 86400);
        int64_t y;
        unsigned m, d;
        civil_from_days(days, &y, &m, &d);
        char *p = cached_prefix;
        two(p, (unsigned)(y / 100));
        two(p + 2, (unsigned)(y % 100));
        p[4] = '-';
        two(p + 5, m);
        p[7] = '-';
        two(p + 8, d);
        p[10] = 'T';
        two(p + 11, tod / 3600);
        p[13] = ':';
        two(p + 14, tod / 60 % 60);
        p[16] = ':';
        two(p + 17, tod % 60);
        p[19] = '.';
        cached_sec = sec;
    }
    memcpy(out, cached_prefix, 20);
    out[20] = (char)('0' + frac / 100);
    out[21] = (char)('0' + frac / 10 % 10);
    out[22] = (char)('0' + frac % 10);
    memcpy(out + 23, "0000Z", 5);
}

static bool digits(const uint8_t *s, size_t n, unsigned *v)
{
    unsigned x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        x = x * 10 + (unsigned)(s[i] - '0');
    }
    *v = x;
    return true;
}

int eddy_avro_parse_time(const uint8_t *s, size_t n, int64_t *ms)
{
    unsigned y, mo, d, h, mi, se;
    if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        s[n - 1] != 'Z' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
        !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se)) {
        return EDDY_ERR_PARSE;
    }
    unsigned frac = 0;
    if (n > 20) {
        size_t fn = n - 21; /* digits between '.' and 'Z' */
        if (s[19] != '.' || fn < 1 || fn > 9 || !digits(s + 20, fn, &frac)) {
            return EDDY_ERR_PARSE;
        }
        for (size_t i = fn; i < 3; i++) {
            frac *= 10;
        }
        for (size_t i = 3; i < fn; i++) {
            frac /= 10;
        }
    }
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 ||
        se > 59) {
        return EDDY_ERR_PARSE;
    }
    int64_t days = days_from_civil(y, mo, d);
    *ms = ((days * 86400 + h * 3600 + mi * 60 + se) * 1000) + frac;
    return 0;
}

/* ---- encoder -------------------------------------------------------- */

static inline uint8_t *put_long(uint8_t *p, int64_t v)
{
    return p + eddy_avro_long_encode(p, v);
}

static inline uint8_t *put_raw(uint8_t *p, const void *s, size_t n)
{
    p = put_long(p, (int64_t)n);
    if (n) {
        memcpy(p, s, n);
    }
    return p + n;
}

/* A map key must be a string: a key that is not UTF-8 is written with each
 * bad byte replaced by U+FFFD. Returns the written key's length. */
static size_t clean_key_len(const uint8_t *s, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        size_t k = s[i] < 0x80 ? 1 : avro_utf8_seq(s + i, n - i);
        out += k ? k : 3;
        i += k ? k : 1;
    }
    return out;
}

static uint8_t *put_clean(uint8_t *p, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = s[i] < 0x80 ? 1 : avro_utf8_seq(s + i, n - i);
        if (k) {
            memcpy(p, s + i, k);
            p += k;
            i += k;
        } else {
            memcpy(p, "\xef\xbf\xbd", 3);
            p += 3;
            i++;
        }
    }
    return p;
}

static uint8_t *put_key(uint8_t *p, const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] < 0x80) {
        i++;
    }
    if (i == n) {
        return put_raw(p, s, n);
    }
    p = put_long(p, (int64_t)clean_key_len(s, n));
    return put_clean(p, s, n);
}

size_t eddy_avro_prop_name(const uint8_t *key, size_t n, uint8_t *out)
{
    return (size_t)(put_clean(out, key, n) - out);
}

static inline size_t sat_add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

#define V 10 /* most bytes of a varint */

void eddy_avro_eventdata_encode(eddy_buf *b, const eddy_avro_event *ev)
{
    size_t key_len = ev->key_len > 0 ? (size_t)ev->key_len : 0;
    size_t body_len = ev->body_len > 0 ? (size_t)ev->body_len : 0;
    /* Upper bound: fixed fields and the system properties, then the rest. */
    size_t bound = V + (1 + 20) + (1 + EDDY_AVRO_TIME_LEN) + 1 + (1 + 21 + 1 + V) +
                   (1 + 12 + 1 + 1 + 20) + (1 + 19 + 1 + V) + (1 + 19 + 1 + V) + 1 + V + 1 + 1 + V;
    bound = sat_add(bound, key_len);
    bound = sat_add(bound, body_len);
    for (size_t i = 0; i < ev->nprops; i++) {
        const eddy_avro_kv *kv = &ev->props[i];
        bound = sat_add(bound, V + 1 + V);
        bound = sat_add(bound, kv->key_len > SIZE_MAX / 3 ? SIZE_MAX : kv->key_len * 3);
        bound = sat_add(bound, kv->value_len > 0 ? (size_t)kv->value_len : 0);
    }
    if (bound == SIZE_MAX) {
        eddy_buf_fail(b, EDDY_ERR_LIMIT);
        return;
    }
    if (eddy_buf_reserve(b, bound)) {
        return;
    }
    uint8_t *p = b->data + b->len;

    char off[20];
    size_t off_len =
        avro_u64_to_dec((uint64_t)(ev->sequence_number < 0 ? 0 : ev->sequence_number), off);
    if (ev->sequence_number < 0) {
        /* Not a Kafka offset, but encode it faithfully. */
        off[0] = '-';
        off_len = 1 + avro_u64_to_dec(~(uint64_t)ev->sequence_number + 1, off + 1);
    }
    char when[EDDY_AVRO_TIME_LEN];
    eddy_avro_format_time(ev->enqueued_ms, when);

    p = put_long(p, ev->sequence_number);
    p = put_raw(p, off, off_len);
    p = put_raw(p, when, sizeof when);

    /* SystemProperties: one block. */
    p = put_long(p, ev->key_len >= 0 ? 4 : 3);
    p = put_raw(p, "x-opt-sequence-number", 21);
    *p++ = 2 * EDDY_AVRO_PROP_LONG;
    p = put_long(p, ev->sequence_number);
    p = put_raw(p, "x-opt-offset", 12);
    *p++ = 2 * EDDY_AVRO_PROP_STRING;
    p = put_raw(p, off, off_len);
    p = put_raw(p, "x-opt-enqueued-time", 19);
    *p++ = 2 * EDDY_AVRO_PROP_LONG;
    p = put_long(p, ev->enqueued_ms);
    if (ev->key_len >= 0) {
        p = put_raw(p, "x-opt-partition-key", 19);
        bool text = avro_utf8_valid(ev->key, key_len);
        *p++ = (uint8_t)(2 * (text ? EDDY_AVRO_PROP_STRING : EDDY_AVRO_PROP_BYTES));
        p = put_raw(p, ev->key, key_len);
    }
    *p++ = 0;

    /* Properties: one block of the headers, values as bytes. */
    if (ev->nprops) {
        p = put_long(p, (int64_t)ev->nprops);
        for (size_t i = 0; i < ev->nprops; i++) {
            const eddy_avro_kv *kv = &ev->props[i];
            p = put_key(p, kv->key, kv->key_len);
            *p++ = 2 * EDDY_AVRO_PROP_BYTES;
            p = put_raw(p, kv->value, kv->value_len > 0 ? (size_t)kv->value_len : 0);
        }
    }
    *p++ = 0;

    /* Body: ["null","bytes"]. */
    if (ev->body_len >= 0) {
        *p++ = 2;
        p = put_raw(p, ev->body, body_len);
    } else {
        *p++ = 0;
    }
    b->len = (size_t)(p - b->data);
}

/* ---- schema check and decoder --------------------------------------- */

static eddy_avro_node n_long = {.type = EDDY_AVRO_LONG, .min_size = 1, .name = "long"};
static eddy_avro_node n_double = {.type = EDDY_AVRO_DOUBLE, .min_size = 8, .name = "double"};
static eddy_avro_node n_string = {.type = EDDY_AVRO_STRING, .min_size = 1, .name = "string"};
static eddy_avro_node n_bytes = {.type = EDDY_AVRO_BYTES, .min_size = 1, .name = "bytes"};
static eddy_avro_node *union_items[4] = {&n_long, &n_double, &n_string, &n_bytes};
static eddy_avro_node n_union = {
    .type = EDDY_AVRO_UNION, .min_size = 2, .name = "union", .count = 4, .items = union_items};
static eddy_avro_node *map_items[1] = {&n_union};
static eddy_avro_node n_map = {
    .type = EDDY_AVRO_MAP, .min_size = 1, .name = "map", .count = 1, .items = map_items};

static bool is_prop_map(const eddy_avro_node *n)
{
    if (n->type != EDDY_AVRO_MAP || n->items[0]->type != EDDY_AVRO_UNION ||
        n->items[0]->count != 4) {
        return false;
    }
    for (int i = 0; i < 4; i++) {
        if (n->items[0]->items[i]->type != union_items[i]->type) {
            return false;
        }
    }
    return true;
}

bool eddy_avro_schema_is_eventdata(const eddy_avro_schema *s)
{
    static const char *const names[6] = {"SequenceNumber",   "Offset",     "EnqueuedTimeUtc",
                                         "SystemProperties", "Properties", "Body"};
    const eddy_avro_node *n = eddy_avro_schema_root(s);
    if (n->type != EDDY_AVRO_RECORD ||
        strcmp(n->name, "Microsoft.ServiceBus.Messaging.EventData") || n->count != 6) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        if (strcmp(n->names[i], names[i]) != 0) {
            return false;
        }
    }
    const eddy_avro_node *body = n->items[5];
    return n->items[0]->type == EDDY_AVRO_LONG && n->items[1]->type == EDDY_AVRO_STRING &&
           n->items[2]->type == EDDY_AVRO_STRING && is_prop_map(n->items[3]) &&
           is_prop_map(n->items[4]) && body->type == EDDY_AVRO_UNION && body->count == 2 &&
           body->items[0]->type == EDDY_AVRO_NULL && body->items[1]->type == EDDY_AVRO_BYTES;
}

static bool key_eq(const uint8_t *k, size_t n, const char *s, size_t sn)
{
    return n == sn && memcmp(k, s, n) == 0;
}

/* Walks one properties map; with sys, picks out the partition key and the
 * enqueued time. */
static int walk_props(eddy_avro_decoder *d, eddy_reader *r, eddy_avro_eventdata *ev, bool sys,
                      int64_t *count)
{
    eddy_avro_coll c;
    eddy_avro_coll_begin(&c, d, &n_map, r);
    const uint8_t *key;
    size_t klen;
    int rc;
    *count = 0;
    while ((rc = eddy_avro_coll_next(&c, &key, &klen)) == 1) {
        eddy_avro_value v;
        if (eddy_avro_read_value(d, &n_union, r, &v)) {
            return d->err;
        }
        (*count)++;
        if (!sys) {
            continue;
        }
        if (key_eq(key, klen, "x-opt-partition-key", 19) &&
            (v.branch == EDDY_AVRO_PROP_STRING || v.branch == EDDY_AVRO_PROP_BYTES) &&
            v.u.bytes.n <= INT32_MAX) {
            ev->key = v.u.bytes.p;
            ev->key_len = (int32_t)v.u.bytes.n;
        } else if (key_eq(key, klen, "x-opt-enqueued-time", 19) &&
                   v.branch == EDDY_AVRO_PROP_LONG) {
            ev->enqueued_ms = v.u.l;
        }
    }
    return rc;
}

int eddy_avro_eventdata_decode(eddy_avro_decoder *d, eddy_reader *r, eddy_avro_eventdata *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->key_len = -1;
    ev->body_len = -1;
    ev->enqueued_ms = INT64_MIN;
    eddy_avro_value v;
    if (eddy_avro_read_value(d, &n_long, r, &v)) {
        return d->err;
    }
    ev->sequence_number = v.u.l;
    if (eddy_avro_read_value(d, &n_string, r, &v)) {
        return d->err;
    }
    ev->offset = v.u.bytes.p;
    ev->offset_len = v.u.bytes.n;
    if (eddy_avro_read_value(d, &n_string, r, &v)) {
        return d->err;
    }
    ev->enqueued = v.u.bytes.p;
    ev->enqueued_len = v.u.bytes.n;

    size_t start = r->pos;
    if (walk_props(d, r, ev, true, &ev->nsys)) {
        return d->err;
    }
    ev->sys = r->p + start;
    ev->sys_len = r->pos - start;
    start = r->pos;
    if (walk_props(d, r, ev, false, &ev->nprops)) {
        return d->err;
    }
    ev->props = r->p + start;
    ev->props_len = r->pos - start;

    static eddy_avro_node n_null = {.type = EDDY_AVRO_NULL, .name = "null"};
    static eddy_avro_node *body_items[2] = {&n_null, &n_bytes};
    static eddy_avro_node n_body = {
        .type = EDDY_AVRO_UNION, .min_size = 1, .name = "union", .count = 2, .items = body_items};
    if (eddy_avro_read_value(d, &n_body, r, &v)) {
        return d->err;
    }
    if (v.branch == 1) {
        if (v.u.bytes.n > INT32_MAX) {
            d->err = EDDY_ERR_LIMIT;
            d->what = "body over 2 GiB";
            eddy_reader_fail(r);
            return d->err;
        }
        ev->body = v.u.bytes.p;
        ev->body_len = (int32_t)v.u.bytes.n;
    }
    if (ev->enqueued_ms == INT64_MIN) {
        int64_t ms;
        if (eddy_avro_parse_time(ev->enqueued, ev->enqueued_len, &ms) == 0) {
            ev->enqueued_ms = ms;
        }
    }
    return 0;
}

void eddy_avro_props_iter_init(eddy_avro_props_iter *it, const uint8_t *p, size_t n)
{
    eddy_reader_init(&it->r, p, n);
    eddy_avro_decoder_init(&it->d);
    it->node = &n_map;
    eddy_avro_coll_begin(&it->c, &it->d, &n_map, &it->r);
}

int eddy_avro_props_next(eddy_avro_props_iter *it, eddy_avro_prop *p)
{
    const uint8_t *key;
    size_t klen;
    int rc = eddy_avro_coll_next(&it->c, &key, &klen);
    if (rc != 1) {
        return rc;
    }
    eddy_avro_value v;
    if (eddy_avro_read_value(&it->d, &n_union, &it->r, &v)) {
        return it->d.err;
    }
    memset(p, 0, sizeof *p);
    p->key = key;
    p->key_len = klen;
    p->branch = v.branch;
    switch (v.branch) {
    case EDDY_AVRO_PROP_LONG:
        p->l = v.u.l;
        break;
    case EDDY_AVRO_PROP_DOUBLE:
        p->d = v.u.d;
        break;
    default:
        p->p = v.u.bytes.p;
        p->n = v.u.bytes.n;
        break;
    }
    return 1;
}
