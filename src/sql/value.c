/* Values and vectors of the SQL executor (see value.h). */
#include "sql/value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *eddy_sql_vtype_name(eddy_sql_vtype t)
{
    switch (t) {
    case EDDY_SQL_V_NULL:
        return "null";
    case EDDY_SQL_V_BOOL:
        return "bit";
    case EDDY_SQL_V_INT:
        return "bigint";
    case EDDY_SQL_V_DOUBLE:
        return "float";
    case EDDY_SQL_V_STRING:
        return "nvarchar(max)";
    case EDDY_SQL_V_TIME:
        return "datetime";
    case EDDY_SQL_V_RECORD:
        return "record";
    case EDDY_SQL_V_ARRAY:
        return "array";
    case EDDY_SQL_V_ANY:
        return "any";
    }
    return "?";
}

eddy_sql_value eddy_sql_vec_get(const eddy_sql_vec *v, uint32_t r)
{
    eddy_sql_value out;
    memset(&out, 0, sizeof out);
    if (!eddy_sql_vec_valid(v, r)) {
        return out;
    }
    uint32_t i = v->constant ? 0 : r;
    out.type = v->type;
    switch (v->type) {
    case EDDY_SQL_V_NULL:
        break;
    case EDDY_SQL_V_BOOL:
        out.b = v->b[i] != 0;
        break;
    case EDDY_SQL_V_INT:
    case EDDY_SQL_V_TIME:
        out.i = v->i[i];
        break;
    case EDDY_SQL_V_DOUBLE:
        out.d = v->d[i];
        break;
    case EDDY_SQL_V_STRING:
    case EDDY_SQL_V_RECORD:
    case EDDY_SQL_V_ARRAY:
        out.s = v->s[i];
        break;
    case EDDY_SQL_V_ANY:
        out = v->any[i];
        break;
    }
    return out;
}

static size_t elem_size(eddy_sql_vtype t)
{
    switch (t) {
    case EDDY_SQL_V_NULL:
        return 0;
    case EDDY_SQL_V_BOOL:
        return 1;
    case EDDY_SQL_V_INT:
    case EDDY_SQL_V_TIME:
        return sizeof(int64_t);
    case EDDY_SQL_V_DOUBLE:
        return sizeof(double);
    case EDDY_SQL_V_STRING:
    case EDDY_SQL_V_RECORD:
    case EDDY_SQL_V_ARRAY:
        return sizeof(eddy_sql_str);
    case EDDY_SQL_V_ANY:
        return sizeof(eddy_sql_value);
    }
    return 0;
}

int eddy_sql_vec_alloc(eddy_sql_vec *v, eddy_arena *arena, eddy_sql_vtype t, uint32_t n)
{
    memset(v, 0, sizeof *v);
    v->type = t;
    v->n = n;
    if (t == EDDY_SQL_V_NULL) {
        return 0;
    }
    size_t es = elem_size(t);
    v->data = eddy_arena_alloc(arena, es * (n ? n : 1));
    v->valid = eddy_arena_alloc(arena, n ? n : 1);
    if (!v->data || !v->valid) {
        return -1;
    }
    memset(v->valid, 1, n);
    return 0;
}

int eddy_sql_vec_need_valid(eddy_sql_vec *v, eddy_arena *arena)
{
    if (v->valid) {
        return 0;
    }
    uint32_t n = v->constant ? 1 : v->n;
    v->valid = eddy_arena_alloc(arena, n ? n : 1);
    if (!v->valid) {
        return -1;
    }
    memset(v->valid, 1, n);
    return 0;
}

/* A constant vector keeps its one value in a static-sized slot inside the
 * union: the data pointer points at a value copy the caller keeps alive
 * (val is borrowed), so the typed pointers address the right member. */
void eddy_sql_vec_const(eddy_sql_vec *v, const eddy_sql_value *val, uint32_t n)
{
    static uint8_t zero = 0;
    memset(v, 0, sizeof *v);
    v->n = n;
    v->constant = true;
    v->type = val->type;
    switch (val->type) {
    case EDDY_SQL_V_NULL:
        break;
    case EDDY_SQL_V_BOOL:
        /* bool is stored as a C bool in the value; one byte 0/1 */
        v->b = (uint8_t *)&val->b;
        break;
    case EDDY_SQL_V_INT:
    case EDDY_SQL_V_TIME:
        v->i = (int64_t *)&val->i;
        break;
    case EDDY_SQL_V_DOUBLE:
        v->d = (double *)&val->d;
        break;
    case EDDY_SQL_V_STRING:
    case EDDY_SQL_V_RECORD:
    case EDDY_SQL_V_ARRAY:
        v->s = (eddy_sql_str *)&val->s;
        break;
    case EDDY_SQL_V_ANY:
        v->data = &zero;
        break;
    }
}

void eddy_sql_vec_set(eddy_sql_vec *v, uint32_t r, const eddy_sql_value *val)
{
    if (val->type == EDDY_SQL_V_NULL) {
        if (v->valid) {
            v->valid[r] = 0;
        }
        if (v->type == EDDY_SQL_V_ANY) {
            v->any[r].type = EDDY_SQL_V_NULL;
        }
        return;
    }
    if (v->valid) {
        v->valid[r] = 1;
    }
    switch (v->type) {
    case EDDY_SQL_V_NULL:
        break;
    case EDDY_SQL_V_BOOL:
        v->b[r] = val->b;
        break;
    case EDDY_SQL_V_INT:
    case EDDY_SQL_V_TIME:
        v->i[r] = val->i;
        break;
    case EDDY_SQL_V_DOUBLE:
        v->d[r] = val->d;
        break;
    case EDDY_SQL_V_STRING:
    case EDDY_SQL_V_RECORD:
    case EDDY_SQL_V_ARRAY:
        v->s[r] = val->s;
        break;
    case EDDY_SQL_V_ANY:
        v->any[r] = *val;
        break;
    }
}

int eddy_sql_vec_flatten(eddy_sql_vec *v, eddy_arena *arena)
{
    if (!v->constant) {
        return 0;
    }
    eddy_sql_value val = eddy_sql_vec_get(v, 0);
    uint32_t n = v->n;
    if (v->type == EDDY_SQL_V_NULL) {
        v->constant = false;
        return 0;
    }
    eddy_sql_vtype t = v->type;
    if (eddy_sql_vec_alloc(v, arena, t, n) != 0) {
        return -1;
    }
    for (uint32_t r = 0; r < n; r++) {
        eddy_sql_vec_set(v, r, &val);
    }
    return 0;
}

int eddy_sql_vec_narrow(eddy_sql_vec *v, eddy_arena *arena)
{
    if (v->type != EDDY_SQL_V_ANY || v->constant) {
        return 0;
    }
    eddy_sql_vtype t = EDDY_SQL_V_NULL;
    for (uint32_t r = 0; r < v->n; r++) {
        if (v->valid && !v->valid[r]) {
            continue;
        }
        eddy_sql_vtype rt = v->any[r].type;
        if (rt == EDDY_SQL_V_NULL) {
            continue;
        }
        if (t == EDDY_SQL_V_NULL) {
            t = rt;
        } else if (t != rt) {
            return 0;
        }
    }
    eddy_sql_vec out;
    if (t == EDDY_SQL_V_NULL) {
        memset(&out, 0, sizeof out);
        out.type = EDDY_SQL_V_NULL;
        out.n = v->n;
        *v = out;
        return 0;
    }
    if (eddy_sql_vec_alloc(&out, arena, t, v->n) != 0) {
        return -1;
    }
    for (uint32_t r = 0; r < v->n; r++) {
        eddy_sql_value val = eddy_sql_vec_get(v, r);
        eddy_sql_vec_set(&out, r, &val);
    }
    *v = out;
    return 0;
}

int eddy_sql_value_dup(eddy_sql_value *dst, const eddy_sql_value *src, eddy_arena *arena)
{
    *dst = *src;
    if (src->type == EDDY_SQL_V_STRING || src->type == EDDY_SQL_V_RECORD ||
        src->type == EDDY_SQL_V_ARRAY) {
        char *p = eddy_arena_memdup(arena, src->s.p ? src->s.p : "", src->s.len);
        if (!p) {
            return -1;
        }
        dst->s.p = p;
    }
    return 0;
}

bool eddy_sql_value_num(const eddy_sql_value *v, double *d)
{
    switch (v->type) {
    case EDDY_SQL_V_INT:
        *d = (double)v->i;
        return true;
    case EDDY_SQL_V_DOUBLE:
        *d = v->d;
        return true;
    case EDDY_SQL_V_BOOL:
        *d = v->b ? 1 : 0;
        return true;
    default:
        return false;
    }
}

static int cmp_bytes(eddy_sql_str a, eddy_sql_str b)
{
    uint32_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.p, b.p, n) : 0;
    if (c != 0) {
        return c < 0 ? -1 : 1;
    }
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

static bool is_intlike(eddy_sql_vtype t)
{
    return t == EDDY_SQL_V_INT || t == EDDY_SQL_V_BOOL;
}

static int64_t intlike(const eddy_sql_value *v)
{
    return v->type == EDDY_SQL_V_BOOL ? (int64_t)v->b : v->i;
}

/* An int64 and a double compared exactly (no rounding of the int). */
static int cmp_int_double(int64_t i, double d)
{
    if (isnan(d)) {
        return -1;
    }
    if (d >= 9223372036854775808.0) {
        return -1;
    }
    if (d < -9223372036854775808.0) {
        return 1;
    }
    double t = trunc(d);
    int64_t di = (int64_t)t;
    if (i != di) {
        return i < di ? -1 : 1;
    }
    if (d > t) {
        return -1;
    }
    if (d < t) {
        return 1;
    }
    return 0;
}

static int cmp_double(double a, double b)
{
    if (a < b) {
        return -1;
    }
    if (a > b) {
        return 1;
    }
    if (a == b) {
        return 0;
    }
    /* NaN sorts last */
    return isnan(a) ? (isnan(b) ? 0 : 1) : -1;
}

int eddy_sql_value_cmp(const eddy_sql_value *a, const eddy_sql_value *b)
{
    eddy_sql_vtype ta = a->type, tb = b->type;
    if (is_intlike(ta) && is_intlike(tb)) {
        int64_t x = intlike(a), y = intlike(b);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (is_intlike(ta) && tb == EDDY_SQL_V_DOUBLE) {
        return cmp_int_double(intlike(a), b->d);
    }
    if (ta == EDDY_SQL_V_DOUBLE && is_intlike(tb)) {
        return -cmp_int_double(intlike(b), a->d);
    }
    if (ta == EDDY_SQL_V_DOUBLE && tb == EDDY_SQL_V_DOUBLE) {
        return cmp_double(a->d, b->d);
    }
    if (ta == EDDY_SQL_V_STRING && tb == EDDY_SQL_V_STRING) {
        return cmp_bytes(a->s, b->s);
    }
    if (ta == EDDY_SQL_V_TIME && tb == EDDY_SQL_V_TIME) {
        return a->i < b->i ? -1 : a->i > b->i ? 1 : 0;
    }
    if (ta == EDDY_SQL_V_TIME && tb == EDDY_SQL_V_STRING) {
        int64_t t;
        if (!eddy_sql_time_parse(b->s.p, b->s.len, &t)) {
            return 2;
        }
        return a->i < t ? -1 : a->i > t ? 1 : 0;
    }
    if (ta == EDDY_SQL_V_STRING && tb == EDDY_SQL_V_TIME) {
        int r = eddy_sql_value_cmp(b, a);
        return r == 2 ? 2 : -r;
    }
    return 2;
}

static int order_rank(eddy_sql_vtype t)
{
    switch (t) {
    case EDDY_SQL_V_NULL:
    case EDDY_SQL_V_ANY:
        return 0;
    case EDDY_SQL_V_BOOL:
        return 1;
    case EDDY_SQL_V_INT:
    case EDDY_SQL_V_DOUBLE:
        return 2;
    case EDDY_SQL_V_TIME:
        return 3;
    case EDDY_SQL_V_STRING:
        return 4;
    case EDDY_SQL_V_ARRAY:
        return 5;
    case EDDY_SQL_V_RECORD:
        return 6;
    }
    return 7;
}

int eddy_sql_value_order(const eddy_sql_value *a, const eddy_sql_value *b)
{
    int ra = order_rank(a->type), rb = order_rank(b->type);
    if (ra != rb) {
        return ra < rb ? -1 : 1;
    }
    switch (ra) {
    case 0:
        return 0;
    case 1:
        return a->b == b->b ? 0 : a->b ? 1 : -1;
    case 2:
    case 3:
    case 4:
        return eddy_sql_value_cmp(a, b);
    default:
        return cmp_bytes(a->s, b->s);
    }
}

/* Key tags. */
enum { K_NULL, K_BOOL, K_INT, K_DOUBLE, K_STRING, K_TIME, K_RECORD, K_ARRAY };

void eddy_sql_key_put(eddy_buf *out, const eddy_sql_value *v)
{
    uint8_t *p;
    switch (v->type) {
    case EDDY_SQL_V_NULL:
    case EDDY_SQL_V_ANY:
        eddy_buf_put_u8(out, K_NULL);
        return;
    case EDDY_SQL_V_BOOL:
        p = eddy_buf_extend(out, 2);
        if (p) {
            p[0] = K_BOOL;
            p[1] = v->b ? 1 : 0;
        }
        return;
    case EDDY_SQL_V_INT:
    case EDDY_SQL_V_TIME:
        p = eddy_buf_extend(out, 9);
        if (p) {
            p[0] = v->type == EDDY_SQL_V_INT ? K_INT : K_TIME;
            memcpy(p + 1, &v->i, 8);
        }
        return;
    case EDDY_SQL_V_DOUBLE: {
        double d = v->d;
        /* Integral doubles within the exact range key like the integer. */
        if (d == trunc(d) && fabs(d) <= 9007199254740992.0) {
            int64_t i = (int64_t)d;
            p = eddy_buf_extend(out, 9);
            if (p) {
                p[0] = K_INT;
                memcpy(p + 1, &i, 8);
            }
            return;
        }
        if (isnan(d)) {
            d = NAN;
        }
        p = eddy_buf_extend(out, 9);
        if (p) {
            p[0] = K_DOUBLE;
            memcpy(p + 1, &d, 8);
        }
        return;
    }
    case EDDY_SQL_V_STRING:
    case EDDY_SQL_V_RECORD:
    case EDDY_SQL_V_ARRAY: {
        uint32_t n = v->s.len;
        p = eddy_buf_extend(out, 5 + (size_t)n);
        if (p) {
            p[0] = v->type == EDDY_SQL_V_STRING   ? K_STRING
                   : v->type == EDDY_SQL_V_RECORD ? K_RECORD
                                                  : K_ARRAY;
            memcpy(p + 1, &n, 4);
            if (n) {
                memcpy(p + 5, v->s.p, n);
            }
        }
        return;
    }
    }
}

eddy_sql_value eddy_sql_key_get(const uint8_t **pp)
{
    const uint8_t *p = *pp;
    eddy_sql_value v;
    memset(&v, 0, sizeof v);
    switch (p[0]) {
    case K_NULL:
        *pp = p + 1;
        return v;
    case K_BOOL:
        v.type = EDDY_SQL_V_BOOL;
        v.b = p[1] != 0;
        *pp = p + 2;
        return v;
    case K_INT:
    case K_TIME:
        v.type = p[0] == K_INT ? EDDY_SQL_V_INT : EDDY_SQL_V_TIME;
        memcpy(&v.i, p + 1, 8);
        *pp = p + 9;
        return v;
    case K_DOUBLE:
        v.type = EDDY_SQL_V_DOUBLE;
        memcpy(&v.d, p + 1, 8);
        *pp = p + 9;
        return v;
    default: {
        uint32_t n;
        memcpy(&n, p + 1, 4);
        v.type = p[0] == K_STRING   ? EDDY_SQL_V_STRING
                 : p[0] == K_RECORD ? EDDY_SQL_V_RECORD
                                    : EDDY_SQL_V_ARRAY;
        v.s.p = (const char *)p + 5;
        v.s.len = n;
        *pp = p + 5 + n;
        return v;
    }
    }
}

/* Howard Hinnant's civil calendar algorithms. */
int64_t eddy_sql_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void eddy_sql_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static bool digits(const char *s, size_t len, size_t at, size_t n, int *out)
{
    if (at + n > len) {
        return false;
    }
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[at + i];
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
}

static bool leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool eddy_sql_time_parse(const char *s, size_t len, int64_t *us)
{
    /* Blanks around the value are tolerated (CSV fields, padded text). */
    while (len && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    int y, mo, d, h = 0, mi = 0, sec = 0;
    int64_t frac = 0;
    if (!digits(s, len, 0, 4, &y) || len < 10 || s[4] != '-' || !digits(s, len, 5, 2, &mo) ||
        s[7] != '-' || !digits(s, len, 8, 2, &d)) {
        return false;
    }
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || (unsigned)d > month_days(y, (unsigned)mo)) {
        return false;
    }
    size_t i = 10;
    int64_t offset_us = 0;
    if (i < len) {
        if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') {
            return false;
        }
        i++;
        if (!digits(s, len, i, 2, &h) || i + 2 >= len || s[i + 2] != ':' ||
            !digits(s, len, i + 3, 2, &mi)) {
            return false;
        }
        i += 5;
        if (i < len && s[i] == ':') {
            if (!digits(s, len, i + 1, 2, &sec)) {
                return false;
            }
            i += 3;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                i++;
                size_t nd = 0;
                while (i < len && s[i] >= '0' && s[i] <= '9') {
                    if (nd < 6) {
                        frac = frac * 10 + (s[i] - '0');
                    }
                    nd++;
                    i++;
                }
                if (nd == 0) {
                    return false;
                }
                for (size_t k = nd; k < 6; k++) {
                    frac *= 10;
                }
            }
        }
        if (h > 23 || mi > 59 || sec > 59) {
            /* 24:00:00 is not accepted; leap seconds neither */
            return false;
        }
        if (i < len) {
            if (s[i] == 'Z' || s[i] == 'z') {
                i++;
            } else if (s[i] == '+' || s[i] == '-') {
                int sign = s[i] == '-' ? -1 : 1;
                int oh, om = 0;
                if (!digits(s, len, i + 1, 2, &oh)) {
                    return false;
                }
                i += 3;
                if (i < len && s[i] == ':') {
                    i++;
                }
                if (i < len) {
                    if (!digits(s, len, i, 2, &om)) {
                        return false;
                    }
                    i += 2;
                }
                if (oh > 23 || om > 59) {
                    return false;
                }
                offset_us = sign * ((int64_t)oh * 3600 + om * 60) * EDDY_SQL_US_PER_SEC;
            }
        }
        if (i != len) {
            return false;
        }
    }
    int64_t days = eddy_sql_days_from_civil(y, (unsigned)mo, (unsigned)d);
    *us = days * EDDY_SQL_US_PER_DAY + ((int64_t)h * 3600 + mi * 60 + sec) * EDDY_SQL_US_PER_SEC +
          frac - offset_us;
    return true;
}

size_t eddy_sql_time_format(int64_t us, char *out)
{
    int64_t days = us / EDDY_SQL_US_PER_DAY;
    int64_t rem = us % EDDY_SQL_US_PER_DAY;
    if (rem < 0) {
        rem += EDDY_SQL_US_PER_DAY;
        days--;
    }
    int64_t y;
    unsigned m, d;
    eddy_sql_civil_from_days(days, &y, &m, &d);
    int64_t secs = rem / EDDY_SQL_US_PER_SEC;
    int64_t frac = rem % EDDY_SQL_US_PER_SEC;
    int n = snprintf(out, 40, "%04lld-%02u-%02uT%02d:%02d:%02d.%06lld0Z", (long long)y, m, d,
                     (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), (long long)frac);
    return n < 0 ? 0 : (size_t)n;
}

/* The shortest digits of a double that read back as it: the free-format
 * algorithm of Steele & White / Burger & Dybvig with exact integers. v =
 * r/s, and the halfway points to the neighbouring doubles are m-/s below
 * and m+/s above; digits are generated until the prefix alone lies within
 * them, the last one rounded to the nearer. All four numbers stay below
 * 2^124 when the binary exponent e is in [-118, 60] (v from about 3e-20
 * to 1e34); outside that the caller falls back to printf. Writes the
 * digits (no dot) to dig and returns their count, with *k the decimal
 * exponent (v = 0.d1d2... x 10^k); 0 when out of range. */
typedef unsigned __int128 u128;

static int shortest_digits(double v, char *dig, int *kout)
{
    uint64_t bits;
    memcpy(&bits, &v, 8);
    int be = (int)((bits >> 52) & 0x7FF);
    uint64_t frac = bits & ((1ULL << 52) - 1);
    if (be == 0) {
        return 0; /* subnormal: the slow path */
    }
    uint64_t m = frac | (1ULL << 52);
    int e = be - 1075;
    if (e < -118 || e > 60) {
        return 0;
    }
    bool boundary = frac == 0 && be > 1; /* the gap below is half the gap above */
    bool even = (m & 1) == 0;
    u128 r, s, mp, mm;
    if (e >= 0) {
        u128 be2 = (u128)1 << e;
        if (boundary) {
            r = (u128)m * be2 * 4;
            s = 4;
            mp = be2 * 2;
            mm = be2;
        } else {
            r = (u128)m * be2 * 2;
            s = 2;
            mp = be2;
            mm = be2;
        }
    } else if (boundary) {
        r = (u128)m * 4;
        s = (u128)1 << (2 - e);
        mp = 2;
        mm = 1;
    } else {
        r = (u128)m * 2;
        s = (u128)1 << (1 - e);
        mp = 1;
        mm = 1;
    }
    /* k: the smallest with high = (r + m+)/s <= 10^k (< when not even);
     * estimated from the binary exponent (log10(2) ~ 78913 / 2^18), then
     * corrected by the two loops below */
    int e2 = be - 1023; /* v in [2^e2, 2^(e2+1)) */
    int k = e2 >= 0 ? ((e2 + 1) * 78913 + 262143) >> 18 : -((-e2 * 78913) >> 18);
    if (k >= 0) {
        for (int i = 0; i < k; i++) {
            s *= 10;
        }
    } else {
        for (int i = 0; i < -k; i++) {
            r *= 10;
            mp *= 10;
            mm *= 10;
        }
    }
    while (even ? r + mp >= s : r + mp > s) {
        s *= 10;
        k++;
    }
    while (even ? (r + mp) * 10 < s : (r + mp) * 10 <= s) {
        r *= 10;
        mp *= 10;
        mm *= 10;
        k--;
    }
    int n = 0;
    for (;;) {
        r *= 10;
        mp *= 10;
        mm *= 10;
        int d = 0;
        while (r >= s) {
            r -= s;
            d++;
        }
        bool low = even ? r <= mm : r < mm;
        bool high = even ? r + mp >= s : r + mp > s;
        if (!low && !high) {
            dig[n++] = (char)('0' + d);
            if (n >= 20) {
                return 0; /* cannot happen for a double; be safe */
            }
            continue;
        }
        if (low && high) {
            /* the nearer of d and d+1; an exact tie goes to the even one, as
             * printf rounds */
            d += r * 2 < s ? 0 : r * 2 > s ? 1 : (d & 1);
        } else if (high) {
            d++;
        }
        dig[n++] = (char)('0' + d);
        break;
    }
    *kout = k;
    return n;
}

/* A fast path for the common values with few decimals (39.5, 48.0,
 * 21.27): the smallest j <= 8 with N = round(v * 10^j) < 2^53 and N / 10^j
 * == v exactly. Both N and 10^j are exact doubles, so the division is the
 * correctly rounded value of the decimal N x 10^-j, as strtod would read
 * it; the first such j gives the fewest digits. Returns the digits like
 * shortest_digits, or 0 to take the general path. */
static int few_decimals(double v, char *dig, int *kout)
{
    static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    if (!(v >= 1e-7 && v < 1e15)) {
        return 0;
    }
    for (int j = 0; j <= 8; j++) {
        double t = v * p10[j];
        if (t >= 9007199254740992.0) {
            return 0;
        }
        double nn = nearbyint(t);
        if (nn / p10[j] != v) {
            continue;
        }
        uint64_t u = (uint64_t)nn;
        char tmp[24];
        int len = 0;
        while (u) {
            tmp[len++] = (char)('0' + u % 10);
            u /= 10;
        }
        if (len == 0) {
            return 0;
        }
        int z = 0;
        while (z < len - 1 && tmp[z] == '0') {
            z++; /* trailing zeros of an integer (j = 0) */
        }
        int nd = len - z;
        for (int i = 0; i < nd; i++) {
            dig[i] = tmp[len - 1 - i];
        }
        *kout = len - j; /* v = 0.d1d2... x 10^(len - j) */
        return nd;
    }
    return 0;
}

/* printf's %.Pg layout of the digits: P = max(15, digits), as the
 * shortest of %.15g, %.16g and %.17g would print it. */
static size_t layout(bool neg, const char *dig, int n, int k, char *out)
{
    size_t o = 0;
    if (neg) {
        out[o++] = '-';
    }
    int x = k - 1; /* exponent of the first digit */
    int p = n > 15 ? n : 15;
    if (x < -4 || x >= p) {
        out[o++] = dig[0];
        if (n > 1) {
            out[o++] = '.';
            memcpy(out + o, dig + 1, (size_t)n - 1);
            o += (size_t)n - 1;
        }
        o += (size_t)snprintf(out + o, 8, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
        return o;
    }
    if (x < 0) {
        out[o++] = '0';
        out[o++] = '.';
        for (int i = 0; i < -x - 1; i++) {
            out[o++] = '0';
        }
        memcpy(out + o, dig, (size_t)n);
        o += (size_t)n;
        return o;
    }
    for (int i = 0; i <= x; i++) {
        out[o++] = i < n ? dig[i] : '0';
    }
    if (n > x + 1) {
        out[o++] = '.';
        memcpy(out + o, dig + x + 1, (size_t)(n - x - 1));
        o += (size_t)(n - x - 1);
    }
    return o;
}

/* The reference: the shortest of %.15g, %.16g, %.17g that reads back. */
size_t eddy_sql_double_format_slow(double d, char *out)
{
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(out, 32, "%.*g", prec, d);
        if (strtod(out, NULL) == d) {
            break;
        }
    }
    return n < 0 ? 0 : (size_t)n;
}

size_t eddy_sql_double_format(double d, char *out)
{
    if (isnan(d)) {
        memcpy(out, "NaN", 4);
        return 3;
    }
    if (isinf(d)) {
        const char *s = d < 0 ? "-Infinity" : "Infinity";
        size_t n = strlen(s);
        memcpy(out, s, n + 1);
        return n;
    }
    size_t n;
    char dig[24];
    int k, nd;
    if (d != 0 && (nd = few_decimals(fabs(d), dig, &k)) > 0) {
        n = layout(d < 0, dig, nd, k, out);
    } else if (d == 0) {
        n = signbit(d) ? 2 : 1;
        memcpy(out, signbit(d) ? "-0" : "0", n);
    } else if ((nd = shortest_digits(fabs(d), dig, &k)) > 0) {
        n = layout(d < 0, dig, nd, k, out);
    } else {
        n = eddy_sql_double_format_slow(d, out);
    }
    out[n] = 0;
    if (!memchr(out, '.', n) && !memchr(out, 'e', n)) {
        memcpy(out + n, ".0", 3);
        n += 2;
    }
    return n;
}

void eddy_sql_json_put_str(eddy_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    eddy_buf_put_u8(out, '"');
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        eddy_buf_append(out, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"':
            eddy_buf_append(out, "\\\"", 2);
            break;
        case '\\':
            eddy_buf_append(out, "\\\\", 2);
            break;
        case '\n':
            eddy_buf_append(out, "\\n", 2);
            break;
        case '\r':
            eddy_buf_append(out, "\\r", 2);
            break;
        case '\t':
            eddy_buf_append(out, "\\t", 2);
            break;
        case '\b':
            eddy_buf_append(out, "\\b", 2);
            break;
        case '\f':
            eddy_buf_append(out, "\\f", 2);
            break;
        default: {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            eddy_buf_append(out, e, 6);
        }
        }
    }
    eddy_buf_append(out, s + start, len - start);
    eddy_buf_put_u8(out, '"');
}

size_t eddy_sql_int_format(int64_t v, char *out)
{
    /* two digits at a time, from the end */
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                                "31323334353637383940414243444546474849505152535455565758596061"
                                "62636465666768697071727374757677787980818283848586878889909192"
                                "93949596979899";
    char tmp[24];
    char *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    while (u >= 100) {
        unsigned d = (unsigned)(u % 100) * 2;
        u /= 100;
        *--p = pairs[d + 1];
        *--p = pairs[d];
    }
    if (u >= 10) {
        *--p = pairs[u * 2 + 1];
        *--p = pairs[u * 2];
    } else {
        *--p = (char)('0' + u);
    }
    if (v < 0) {
        *--p = '-';
    }
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(out, p, n);
    return n;
}

void eddy_sql_value_json(eddy_buf *out, const eddy_sql_value *v)
{
    char tmp[48];
    size_t n;
    switch (v->type) {
    case EDDY_SQL_V_NULL:
    case EDDY_SQL_V_ANY:
        eddy_buf_append(out, "null", 4);
        return;
    case EDDY_SQL_V_BOOL:
        if (v->b) {
            eddy_buf_append(out, "true", 4);
        } else {
            eddy_buf_append(out, "false", 5);
        }
        return;
    case EDDY_SQL_V_INT:
        n = eddy_sql_int_format(v->i, tmp);
        eddy_buf_append(out, tmp, n);
        return;
    case EDDY_SQL_V_DOUBLE:
        if (!isfinite(v->d)) {
            eddy_buf_append(out, "null", 4);
            return;
        }
        n = eddy_sql_double_format(v->d, tmp);
        eddy_buf_append(out, tmp, n);
        return;
    case EDDY_SQL_V_TIME:
        tmp[0] = '"';
        n = eddy_sql_time_format(v->i, tmp + 1);
        tmp[n + 1] = '"';
        eddy_buf_append(out, tmp, n + 2);
        return;
    case EDDY_SQL_V_STRING:
        eddy_sql_json_put_str(out, v->s.p, v->s.len);
        return;
    case EDDY_SQL_V_RECORD:
    case EDDY_SQL_V_ARRAY:
        eddy_buf_append(out, v->s.p, v->s.len);
        return;
    }
}

void eddy_sql_value_text(eddy_buf *out, const eddy_sql_value *v)
{
    char tmp[48];
    size_t n;
    switch (v->type) {
    case EDDY_SQL_V_NULL:
    case EDDY_SQL_V_ANY:
        return;
    case EDDY_SQL_V_TIME:
        n = eddy_sql_time_format(v->i, tmp);
        eddy_buf_append(out, tmp, n);
        return;
    case EDDY_SQL_V_DOUBLE:
        n = eddy_sql_double_format(v->d, tmp);
        eddy_buf_append(out, tmp, n);
        return;
    case EDDY_SQL_V_STRING:
    case EDDY_SQL_V_RECORD:
    case EDDY_SQL_V_ARRAY:
        eddy_buf_append(out, v->s.p, v->s.len);
        return;
    default:
        eddy_sql_value_json(out, v);
        return;
    }
}
