/* json_plain: a plain recursive-descent JSON parser, the oracle the fast
 * scanner of the SQL sources (src/sql/src_jscan.c) is checked against in
 * unit tests and fuzzing. Written for obviousness, not speed: the whole
 * text becomes a tree, numbers go through strtoll/strtod, strings are
 * unescaped one character at a time.
 *
 * Semantics it pins down for both: whitespace is space, tab, LF and CR;
 * the first of duplicate keys wins; \uXXXX escapes become UTF-8 (a
 * surrogate pair one code point, a lone surrogate U+FFFD); an integer
 * without fraction or exponent that fits int64 is INT, every other number
 * DOUBLE; an object or array value keeps its exact text. */
#ifndef EDDY_TEST_JSON_PLAIN_H
#define EDDY_TEST_JSON_PLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sql/vector.h"

typedef struct jp_value jp_value;

/* Parses one JSON value from [p, p + n) with optional whitespace around.
 * Returns the tree (free with jp_free), or NULL when the text is not
 * exactly one valid JSON value (or nests deeper than 500). */
jp_value *jp_parse(const char *p, size_t n);
void jp_free(jp_value *v);

/* True when v is an object. */
bool jp_is_object(const jp_value *v);

/* The value at path parts[0..n) below object root as a column value:
 * missing, null or reached through a non-object is EDDY_SQL_V_NULL;
 * strings point into the tree, RECORD/ARRAY text into the parsed input. */
eddy_sql_value jp_get(const jp_value *root, const char *const *parts, const uint32_t *lens,
                      uint32_t n);

/* The top-level keys of object root, in order, duplicates included. */
size_t jp_keys(const jp_value *root, const char ***keys, const size_t **lens);

#endif
