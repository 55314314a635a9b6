/* Date and time functions: DATEADD, DATEDIFF, DATEPART, YEAR, MONTH, DAY,
 * DATETIMEFROMPARTS (docs/sql.md "Dates and times").
 *
 * Datetimes are microseconds since the epoch, UTC, in the proleptic
 * Gregorian calendar. DATEDIFF counts unit boundaries crossed (T-SQL):
 * DATEDIFF(year, '2025-12-31', '2026-01-01') is 1. Weeks start on Sunday
 * and weekday 1 is Sunday (T-SQL's default DATEFIRST 7). A datetime
 * argument may be a string in ISO-8601 form; one that does not parse gives
 * null. */
#include <string.h>

#include "sql/expr_int.h"
#include "sql/value.h"

typedef struct civil {
    int64_t y;
    unsigned mo, d;
    int64_t days; /* since the epoch */
    int64_t us;   /* of the day */
} civil;

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

static civil split(int64_t t)
{
    civil c;
    c.days = floordiv(t, EDDY_SQL_US_PER_DAY);
    c.us = t - c.days * EDDY_SQL_US_PER_DAY;
    eddy_sql_civil_from_days(c.days, &c.y, &c.mo, &c.d);
    return c;
}

static unsigned mdays(int64_t y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* 0 = Sunday */
static int64_t dow(int64_t days)
{
    return ((days % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday */
}

/* Limits: years 1..9999 (ASA's datetime range). */
#define MIN_US (-62135596800000000LL)
#define MAX_US (253402300799999999LL)

static int set_time(const eddy_sql_x *x, eddy_sql_xctx *c, int64_t us, eddy_sql_value *res)
{
    if (us < MIN_US || us > MAX_US) {
        return eddy_sql_x_fail(x, c, "datetime out of range (years 1 to 9999)");
    }
    res->type = EDDY_SQL_V_TIME;
    res->i = us;
    return 0;
}

static int64_t unit_us(eddy_sql_unit u)
{
    return eddy_sql_unit_us(u);
}

int eddy_sql_fn_dateadd(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                        eddy_sql_value *res)
{
    int64_t n, t;
    if (!eddy_sql_arg_int(&a[0], &n) || !eddy_sql_arg_time(&a[1], &t)) {
        return 0;
    }
    int64_t months = 0, delta = 0;
    bool ovf = false;
    switch (x->unit) {
    case EDDY_SQL_UNIT_YEAR:
        ovf = __builtin_mul_overflow(n, 12, &months);
        break;
    case EDDY_SQL_UNIT_QUARTER:
        ovf = __builtin_mul_overflow(n, 3, &months);
        break;
    case EDDY_SQL_UNIT_MONTH:
        months = n;
        break;
    case EDDY_SQL_UNIT_WEEK:
        ovf = __builtin_mul_overflow(n, 7 * EDDY_SQL_US_PER_DAY, &delta);
        break;
    case EDDY_SQL_UNIT_DAYOFYEAR:
    case EDDY_SQL_UNIT_WEEKDAY:
        ovf = __builtin_mul_overflow(n, EDDY_SQL_US_PER_DAY, &delta);
        break;
    case EDDY_SQL_UNIT_NANOSECOND:
        delta = n / 1000;
        break;
    default:
        ovf = __builtin_mul_overflow(n, unit_us(x->unit), &delta);
        break;
    }
    if (ovf || months > 120000 || months < -120000) {
        return eddy_sql_x_fail(x, c, "datetime out of range (years 1 to 9999)");
    }
    if (months != 0) {
        civil cv = split(t);
        int64_t m0 = cv.y * 12 + (cv.mo - 1) + months;
        int64_t y = floordiv(m0, 12);
        unsigned mo = (unsigned)(m0 - y * 12) + 1;
        if (y < 1 || y > 9999) {
            return eddy_sql_x_fail(x, c, "datetime out of range (years 1 to 9999)");
        }
        unsigned d = cv.d > mdays(y, mo) ? mdays(y, mo) : cv.d;
        t = eddy_sql_days_from_civil(y, mo, d) * EDDY_SQL_US_PER_DAY + cv.us;
    }
    int64_t r;
    if (__builtin_add_overflow(t, delta, &r)) {
        return eddy_sql_x_fail(x, c, "datetime out of range (years 1 to 9999)");
    }
    return set_time(x, c, r, res);
}

int eddy_sql_fn_datediff(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                         eddy_sql_value *res)
{
    int64_t t0, t1;
    if (!eddy_sql_arg_time(&a[0], &t0) || !eddy_sql_arg_time(&a[1], &t1)) {
        return 0;
    }
    civil c0 = split(t0), c1 = split(t1);
    int64_t r;
    switch (x->unit) {
    case EDDY_SQL_UNIT_YEAR:
        r = c1.y - c0.y;
        break;
    case EDDY_SQL_UNIT_QUARTER:
        r = (c1.y * 4 + (c1.mo - 1) / 3) - (c0.y * 4 + (c0.mo - 1) / 3);
        break;
    case EDDY_SQL_UNIT_MONTH:
        r = (c1.y * 12 + c1.mo) - (c0.y * 12 + c0.mo);
        break;
    case EDDY_SQL_UNIT_DAYOFYEAR:
    case EDDY_SQL_UNIT_DAY:
    case EDDY_SQL_UNIT_WEEKDAY:
        r = c1.days - c0.days;
        break;
    case EDDY_SQL_UNIT_WEEK:
        /* Sunday-started weeks crossed */
        r = floordiv(c1.days + 4, 7) - floordiv(c0.days + 4, 7);
        break;
    case EDDY_SQL_UNIT_NANOSECOND:
        if (__builtin_sub_overflow(t1, t0, &r) || __builtin_mul_overflow(r, 1000, &r)) {
            return eddy_sql_x_fail(x, c, "bigint overflow: DATEDIFF in nanoseconds");
        }
        break;
    default: {
        int64_t u = unit_us(x->unit);
        r = floordiv(t1, u) - floordiv(t0, u);
        break;
    }
    }
    res->type = EDDY_SQL_V_INT;
    res->i = r;
    return 0;
}

static int64_t part(eddy_sql_unit u, int64_t t)
{
    civil cv = split(t);
    int64_t doy = cv.days - eddy_sql_days_from_civil(cv.y, 1, 1) + 1;
    switch (u) {
    case EDDY_SQL_UNIT_YEAR:
        return cv.y;
    case EDDY_SQL_UNIT_QUARTER:
        return (cv.mo - 1) / 3 + 1;
    case EDDY_SQL_UNIT_MONTH:
        return cv.mo;
    case EDDY_SQL_UNIT_DAYOFYEAR:
        return doy;
    case EDDY_SQL_UNIT_DAY:
        return cv.d;
    case EDDY_SQL_UNIT_WEEK: {
        int64_t jan1 = eddy_sql_days_from_civil(cv.y, 1, 1);
        return (doy - 1 + dow(jan1)) / 7 + 1;
    }
    case EDDY_SQL_UNIT_WEEKDAY:
        return dow(cv.days) + 1;
    case EDDY_SQL_UNIT_HOUR:
        return cv.us / (3600 * EDDY_SQL_US_PER_SEC);
    case EDDY_SQL_UNIT_MINUTE:
        return cv.us / (60 * EDDY_SQL_US_PER_SEC) % 60;
    case EDDY_SQL_UNIT_SECOND:
        return cv.us / EDDY_SQL_US_PER_SEC % 60;
    case EDDY_SQL_UNIT_MILLISECOND:
        return cv.us / 1000 % 1000;
    case EDDY_SQL_UNIT_MICROSECOND:
        return cv.us % EDDY_SQL_US_PER_SEC;
    case EDDY_SQL_UNIT_NANOSECOND:
        return cv.us % EDDY_SQL_US_PER_SEC * 1000;
    }
    return 0;
}

int eddy_sql_fn_datepart(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                         eddy_sql_value *res)
{
    int64_t t;
    if (!eddy_sql_arg_time(&a[0], &t)) {
        return 0;
    }
    res->type = EDDY_SQL_V_INT;
    res->i = part(x->unit, t);
    return 0;
}

static int one_part(eddy_sql_unit u, const eddy_sql_value *a, eddy_sql_value *res)
{
    int64_t t;
    if (!eddy_sql_arg_time(&a[0], &t)) {
        return 0;
    }
    res->type = EDDY_SQL_V_INT;
    res->i = part(u, t);
    return 0;
}

int eddy_sql_fn_year(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                     eddy_sql_value *res)
{
    return one_part(EDDY_SQL_UNIT_YEAR, a, res);
}

int eddy_sql_fn_month(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                      eddy_sql_value *res)
{
    return one_part(EDDY_SQL_UNIT_MONTH, a, res);
}

int eddy_sql_fn_day(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                    eddy_sql_value *res)
{
    return one_part(EDDY_SQL_UNIT_DAY, a, res);
}

int eddy_sql_fn_datetimefromparts(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *a,
                                  eddy_sql_value *res)
{
    int64_t v[7];
    for (int j = 0; j < 7; j++) {
        if (!eddy_sql_arg_int(&a[j], &v[j])) {
            return 0;
        }
    }
    if (v[0] < 1 || v[0] > 9999 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
        v[2] > mdays(v[0], (unsigned)v[1]) || v[3] < 0 || v[3] > 23 || v[4] < 0 || v[4] > 59 ||
        v[5] < 0 || v[5] > 59 || v[6] < 0 || v[6] > 999) {
        return eddy_sql_x_fail(x, c,
                               "DATETIMEFROMPARTS: %lld-%lld-%lld %lld:%lld:%lld.%lld is not a "
                               "valid datetime",
                               (long long)v[0], (long long)v[1], (long long)v[2], (long long)v[3],
                               (long long)v[4], (long long)v[5], (long long)v[6]);
    }
    int64_t days = eddy_sql_days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]);
    int64_t us =
        days * EDDY_SQL_US_PER_DAY + ((v[3] * 60 + v[4]) * 60 + v[5]) * 1000000 + v[6] * 1000;
    return set_time(x, c, us, res);
}
