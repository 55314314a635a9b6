/* Parsers for command-line values shared by the client commands: times
 * (--from @TIME, --start-time), durations (--duration), counts and rates.
 * Each returns 0 or EDDY_ERR_INVALID_ARG and never reads past the string. */
#ifndef EDDY_CLIENT_PARSE_H
#define EDDY_CLIENT_PARSE_H

#include <stdint.h>

/* ISO-8601: "2026-11-24", "2026-11-24T20:00", "2026-11-24T20:00:00",
 * with ".123" fractions (milliseconds kept, finer digits dropped), 'T' or a
 * space between date and time, and "Z", "+01:00", "-0530" or nothing
 * (UTC) after. Sets *ms to milliseconds since the Unix epoch. */
int eddy_client_parse_time(const char *s, int64_t *ms);

/* A duration: a number with an optional unit, ms, s (default), m, h or d;
 * "1.5s", "500ms", "2m". Sets *ms; must be >= 0. */
int eddy_client_parse_duration_ms(const char *s, int64_t *ms);

/* A non-negative integer with an optional k/M/G suffix (x1000) or an
 * exponent form like 1e6; sets *v. */
int eddy_client_parse_count(const char *s, int64_t *v);

/* A positive number (events per second); the same suffixes as counts. */
int eddy_client_parse_rate(const char *s, double *v);

#endif
