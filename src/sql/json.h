/* A small reader of JSON text for RECORD and ARRAY values.
 *
 * Records and arrays travel through the executor as their JSON text
 * (sql/vector.h); fields and elements are reached lazily, by path, when an
 * expression asks (a.b.c on a record, GetRecordPropertyValue,
 * GetArrayElement, GetArrayLength). The text is untrusted (it comes from
 * input files), so every function here is bounded by the length given,
 * never recurses (nesting is followed by counting brackets, up to
 * EDDY_SQL_JSON_MAX_DEPTH), and reports malformed text instead of reading
 * past it. Fuzzed by tests/fuzz/fuzz_sql_json.c. Thread-safe. */
#ifndef EDDY_SQL_JSON_H
#define EDDY_SQL_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "sql/vector.h"

#define EDDY_SQL_JSON_MAX_DEPTH 1024

/* Skips blanks, then one JSON value starting at p. Returns the first byte
 * after the value, or NULL when the text there is not a value (or nests
 * deeper than the limit). Containers are checked for balanced brackets and
 * well-formed strings, not for every comma. */
const char *eddy_sql_json_skip(const char *p, const char *end);

/* Finds member name[0..nlen) in the object text obj[0..len). An exact
 * match wins; otherwise the first member whose name matches ignoring ASCII
 * case (ASA's names are case-insensitive). Returns 1 with *val set to the
 * member's value text, 0 when there is no such member (or obj is not an
 * object), -1 when the text is malformed. */
int eddy_sql_json_member(const char *obj, size_t len, const char *name, size_t nlen,
                         eddy_sql_str *val);

/* The element at index (0-based) of the array text arr[0..len): 1 with
 * *val, 0 when out of range or not an array, -1 when malformed. */
int eddy_sql_json_element(const char *arr, size_t len, int64_t index, eddy_sql_str *val);

/* The number of elements of the array text: 0 with *n, -1 when it is not
 * a well-formed array. */
int eddy_sql_json_length(const char *arr, size_t len, int64_t *n);

/* Member iteration over an object's text: start with *pos = 0. Returns 1
 * with the member's raw name (between the quotes, escapes kept) and value
 * text, 0 at the end, -1 when malformed. */
int eddy_sql_json_next(const char *obj, size_t len, size_t *pos, eddy_sql_str *name,
                       eddy_sql_str *val);

/* Turns one JSON value's text into a value: strings unescaped (copied into
 * arena when they hold escapes, else borrowed), integers that fit int64 as
 * INT, other numbers as DOUBLE, true/false as BOOL, null as null, objects
 * as RECORD and arrays as ARRAY (the text, borrowed). Returns 0, -1 when
 * malformed, EDDY_ERR_NOMEM when the arena is full. */
int eddy_sql_json_value(const char *p, size_t len, eddy_arena *arena, eddy_sql_value *out);

/* Unescapes the body of a JSON string (between the quotes) into out (at
 * least len bytes). Returns the length, or -1 for a bad escape. */
long eddy_sql_json_unescape(const char *s, size_t len, char *out);

#endif
