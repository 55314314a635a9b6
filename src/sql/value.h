/* Values and vectors of the SQL executor: reading a row of a vector as a
 * tagged value, building vectors, comparing and hashing values, group and
 * join keys, and the datetime type (microseconds since the epoch, UTC).
 *
 * Everything here is the shared vocabulary of expressions (expr.h),
 * operators (exec.h) and output (output.h). Vectors and strings are
 * allocated from the arena the caller gives; nothing here owns memory.
 * Pure functions, thread-safe. */
#ifndef EDDY_SQL_VALUE_H
#define EDDY_SQL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "sql/vector.h"

/* The SQL name of a physical type: "bigint", "float", "nvarchar(max)",
 * "datetime", "bit", "record", "array", "null", "any". */
const char *eddy_sql_vtype_name(eddy_sql_vtype t);

/* Row r of v as a value (strings borrowed from the vector). */
eddy_sql_value eddy_sql_vec_get(const eddy_sql_vec *v, uint32_t r);

/* A vector of n rows of type t with a validity array (all 1) from arena;
 * NULL on out of memory. V_NULL vectors get no storage. */
int eddy_sql_vec_alloc(eddy_sql_vec *v, eddy_arena *arena, eddy_sql_vtype t, uint32_t n);

/* Makes v->valid writable (all 1) when it is NULL. */
int eddy_sql_vec_need_valid(eddy_sql_vec *v, eddy_arena *arena);

/* A constant vector of n rows holding val (borrowed). */
void eddy_sql_vec_const(eddy_sql_vec *v, const eddy_sql_value *val, uint32_t n);

/* Stores val into row r of v, which must be of val's type, of V_ANY, or
 * val must be null. */
void eddy_sql_vec_set(eddy_sql_vec *v, uint32_t r, const eddy_sql_value *val);

/* Expands a constant vector into a plain one (copies row 0 to every row). */
int eddy_sql_vec_flatten(eddy_sql_vec *v, eddy_arena *arena);

/* When every non-null row of a V_ANY vector has one type, turns it into a
 * typed vector of that type (in place, storage from arena), so that later
 * kernels take their typed loops. */
int eddy_sql_vec_narrow(eddy_sql_vec *v, eddy_arena *arena);

/* Copies a value's text (strings, records, arrays) into arena; other
 * values are copied as they are. Returns 0 or EDDY_ERR_NOMEM. */
int eddy_sql_value_dup(eddy_sql_value *dst, const eddy_sql_value *src, eddy_arena *arena);

/* A numeric view: true when v is INT, DOUBLE or BOOL; *d gets it as a
 * double. */
bool eddy_sql_value_num(const eddy_sql_value *v, double *d);

/* SQL comparison of two non-null values: -1, 0, 1, or 2 when they cannot
 * be compared (a string and a number; records). Numbers compare across
 * bigint, float and bit; a datetime compares with a string that parses as
 * a datetime; strings compare bytewise. */
int eddy_sql_value_cmp(const eddy_sql_value *a, const eddy_sql_value *b);

/* A total order for ORDER BY, MIN/MAX and DISTINCT-by-order: null first,
 * then bit, numbers, datetimes, strings, arrays, records; within a kind as
 * eddy_sql_value_cmp, text bytewise for records and arrays. */
int eddy_sql_value_order(const eddy_sql_value *a, const eddy_sql_value *b);

/* Appends the canonical key encoding of v to out: values equal under SQL
 * '=' (1 and 1.0; -0.0 and 0.0) encode to the same bytes, nulls encode
 * as one tag (GROUP BY puts nulls in one group). */
void eddy_sql_key_put(eddy_buf *out, const eddy_sql_value *v);

/* Decodes one value from a key at *p (advanced past it); strings point
 * into the key bytes. */
eddy_sql_value eddy_sql_key_get(const uint8_t **p);

/* Datetimes. */
#define EDDY_SQL_US_PER_SEC 1000000LL
#define EDDY_SQL_US_PER_DAY 86400000000LL

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t eddy_sql_days_from_civil(int64_t y, unsigned m, unsigned d);
void eddy_sql_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Parses an ISO-8601 date or date-time: YYYY-MM-DD, then 'T' or ' ' and
 * hh:mm[:ss[.fraction]] and an optional Z or +hh:mm / -hh:mm / +hhmm zone
 * (without a zone, UTC). Fractions beyond microseconds are truncated.
 * Returns true with *us set, false when s is not such a time. */
bool eddy_sql_time_parse(const char *s, size_t len, int64_t *us);

/* Writes t as 2026-11-24T20:00:00.1230000Z (28 bytes and a NUL; out must
 * hold 40). Returns the length. */
size_t eddy_sql_time_format(int64_t us, char *out);

/* Shortest text of a double that reads back as the same double ("0.1",
 * "1e+300", "3.0": integral values keep ".0"); "NaN", "Infinity",
 * "-Infinity" for the others. out must hold 32 bytes; returns the length. */
size_t eddy_sql_double_format(double d, char *out);

/* The same digits the slow way (printf and strtod; no ".0" added): the
 * reference the fast path is tested against. */
size_t eddy_sql_double_format_slow(double d, char *out);

/* Appends v as JSON: strings quoted and escaped, datetimes as quoted
 * ISO-8601, records and arrays as their text, null as null, non-finite
 * doubles as null. */
void eddy_sql_value_json(eddy_buf *out, const eddy_sql_value *v);

/* Writes v in decimal to out (at least 20 bytes); returns the length. */
size_t eddy_sql_int_format(int64_t v, char *out);

/* Appends s as a JSON string literal (quotes and escapes). */
void eddy_sql_json_put_str(eddy_buf *out, const char *s, size_t len);

/* Appends v as plain text (strings unquoted, datetimes ISO-8601, records
 * and arrays as JSON, null as the empty string). */
void eddy_sql_value_text(eddy_buf *out, const eddy_sql_value *v);

#endif
