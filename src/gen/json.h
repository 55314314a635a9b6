/* Small JSON helpers for the generators and the tail: a strict validator, a
 * minifier, a field finder (for partition keys taken from an event's body),
 * string escaping, UTF-8 validation and base64.
 *
 * Every function here reads untrusted bytes (lines of a replayed file, bodies
 * fetched from a hub): lengths are explicit, nothing needs a NUL terminator,
 * nesting is capped at EDDY_JSON_MAX_DEPTH, and malformed input gives an error
 * result, never a crash. No allocation except through the caller's eddy_buf. */
#ifndef EDDY_GEN_JSON_H
#define EDDY_GEN_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* Deepest nesting of arrays and objects accepted. */
#define EDDY_JSON_MAX_DEPTH 512

typedef enum eddy_json_type {
    EDDY_JSON_NONE = 0,
    EDDY_JSON_OBJECT,
    EDDY_JSON_ARRAY,
    EDDY_JSON_STRING,
    EDDY_JSON_NUMBER,
    EDDY_JSON_TRUE,
    EDDY_JSON_FALSE,
    EDDY_JSON_NULL,
} eddy_json_type;

/* Returns true when s[0..n) is exactly one JSON value (RFC 8259) with
 * optional whitespace around it: strings are valid UTF-8 without raw control
 * characters, \u escapes pair their surrogates, numbers follow the grammar.
 * *type (may be NULL) receives the top-level value's type. */
bool eddy_json_valid(const char *s, size_t n, eddy_json_type *type);

/* Copies a text that eddy_json_valid() accepted into out without the
 * whitespace outside strings; out must hold n bytes. Returns the length. */
size_t eddy_json_minify(const char *s, size_t n, char *out);

/* Looks up path (field names separated by '.', e.g. "bid.auction") in the
 * JSON object s[0..n). The first member with a matching name wins. On
 * success returns 0, sets *type, and *val and *vlen to the value's text: for a
 * string the bytes between the quotes (still escaped; see
 * eddy_json_unescape), otherwise the whole value. Returns EDDY_ERR_NOT_FOUND
 * when a field on the path is missing or not an object, EDDY_ERR_PARSE when
 * the text is malformed before the value was found. */
int eddy_json_find(const char *s, size_t n, const char *path, eddy_json_type *type,
                   const char **val, size_t *vlen);

/* Decodes the escapes of a JSON string's contents s[0..n) into out, which
 * must hold n bytes (decoding never grows). Returns the decoded length, or
 * -1 for a bad escape. */
long eddy_json_unescape(const char *s, size_t n, char *out);

/* True when p[0..n) is valid UTF-8 (no overlongs, surrogates or code points
 * above U+10FFFF). */
bool eddy_utf8_valid(const void *p, size_t n);

/* Appends p[0..n) to b as a JSON string literal with quotes. Bytes must be
 * valid UTF-8 (check with eddy_utf8_valid); control characters, '"' and '\'
 * are escaped. Returns 0 or the buffer's sticky error. */
int eddy_json_put_string(eddy_buf *b, const void *p, size_t n);

/* Appends the standard base64 (RFC 4648, padded) of p[0..n) to b. */
int eddy_base64_put(eddy_buf *b, const void *p, size_t n);

#endif
