/* Command-line value parsers (see parse.h). */
#include "client/parse.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"

/* Reads exactly n digits at *p. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) {
            return -1;
        }
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return days[m - 1];
}

int eddy_client_parse_time(const char *s, int64_t *ms)
{
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
        digits(&p, 2, &d)) {
        return EDDY_ERR_INVALID_ARG;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
        return EDDY_ERR_INVALID_ARG;
    }
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi)) {
            return EDDY_ERR_INVALID_ARG;
        }
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &sec)) {
                return EDDY_ERR_INVALID_ARG;
            }
            if (*p == '.' || *p == ',') {
                p++;
                int n = 0;
                while (isdigit((unsigned char)*p)) {
                    if (n < 3) {
                        frac = frac * 10 + (*p - '0');
                    }
                    n++;
                    p++;
                }
                if (n == 0) {
                    return EDDY_ERR_INVALID_ARG;
                }
                for (; n < 3; n++) {
                    frac *= 10;
                }
            }
        }
        if (h > 23 || mi > 59 || sec > 60) {
            return EDDY_ERR_INVALID_ARG;
        }
    }
    int offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
        if (digits(&p, 2, &oh)) {
            return EDDY_ERR_INVALID_ARG;
        }
        if (*p == ':') {
            p++;
        }
        if (*p && digits(&p, 2, &om)) {
            return EDDY_ERR_INVALID_ARG;
        }
        if (oh > 23 || om > 59) {
            return EDDY_ERR_INVALID_ARG;
        }
        offset_min = sign * (oh * 60 + om);
    }
    if (*p) {
        return EDDY_ERR_INVALID_ARG;
    }
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    time_t t = timegm(&tm);
    *ms = ((int64_t)t - (int64_t)offset_min * 60) * 1000 + frac;
    return 0;
}

/* strtod, but the whole number must be there and finite. */
static int number(const char *s, double *v, const char **rest)
{
    if (!s || !*s || isspace((unsigned char)*s)) {
        return -1;
    }
    char *end;
    double d = strtod(s, &end);
    if (end == s || !isfinite(d)) {
        return -1;
    }
    /* No hex floats, "inf" or "nan" on a command line. */
    for (const char *q = s; q < end; q++) {
        if (!isdigit((unsigned char)*q) && !strchr(".+-eE", *q)) {
            return -1;
        }
    }
    *v = d;
    *rest = end;
    return 0;
}

int eddy_client_parse_duration_ms(const char *s, int64_t *ms)
{
    double v;
    const char *unit;
    if (number(s, &v, &unit) || v < 0) {
        return EDDY_ERR_INVALID_ARG;
    }
    double scale;
    if (strcmp(unit, "") == 0 || strcmp(unit, "s") == 0) {
        scale = 1000;
    } else if (strcmp(unit, "ms") == 0) {
        scale = 1;
    } else if (strcmp(unit, "m") == 0 || strcmp(unit, "min") == 0) {
        scale = 60000;
    } else if (strcmp(unit, "h") == 0) {
        scale = 3600000;
    } else if (strcmp(unit, "d") == 0) {
        scale = 86400000;
    } else {
        return EDDY_ERR_INVALID_ARG;
    }
    double r = v * scale;
    if (r > 9e15) {
        return EDDY_ERR_INVALID_ARG;
    }
    *ms = (int64_t)llround(r);
    return 0;
}

static int scaled(const char *s, double *v)
{
    const char *unit;
    double d;
    if (number(s, &d, &unit)) {
        return -1;
    }
    if (*unit == 'k' || *unit == 'K') {
        d *= 1e3;
        unit++;
    } else if (*unit == 'M') {
        d *= 1e6;
        unit++;
    } else if (*unit == 'G') {
        d *= 1e9;
        unit++;
    }
    if (*unit) {
        return -1;
    }
    *v = d;
    return 0;
}

int eddy_client_parse_count(const char *s, int64_t *v)
{
    double d;
    if (scaled(s, &d) || d < 0 || d > 9e18 || d != floor(d)) {
        return EDDY_ERR_INVALID_ARG;
    }
    *v = (int64_t)d;
    return 0;
}

int eddy_client_parse_rate(const char *s, double *v)
{
    double d;
    if (scaled(s, &d) || !(d > 0) || d > 1e10) {
        return EDDY_ERR_INVALID_ARG;
    }
    *v = d;
    return 0;
}
