/* The SQL parser: query text in, syntax tree (sql/ast.h) out.
 *
 * A hand-written recursive-descent parser for eddy's dialect of the Azure
 * Stream Analytics query language (grammar in docs/sql.md). It stops at the
 * first error and reports it with its position (sql/diag.h). The text is
 * untrusted: it is read only through the lexer, its length is capped, and
 * nesting is capped so that neither the parser nor later tree walks can
 * exhaust the stack. It never crashes on any input (fuzzed by
 * tests/fuzz/fuzz_sql_parse.c). */
#ifndef EDDY_SQL_PARSER_H
#define EDDY_SQL_PARSER_H

#include <stddef.h>

#include "core/arena.h"
#include "sql/ast.h"
#include "sql/diag.h"

/* The longest query text accepted, in bytes. */
#define EDDY_SQL_MAX_TEXT ((size_t)1 << 20)

/* The deepest expression tree (a leaf is 1). A tree within it prints
 * (sql/print.h) to text whose nesting is within EDDY_SQL_MAX_DEPTH, so
 * every tree the parser accepts prints to text it accepts again. */
#define EDDY_SQL_MAX_HEIGHT 200

/* The deepest nesting of parentheses and sub-expressions in the text. */
#define EDDY_SQL_MAX_DEPTH 256

/* Parses src[0..len) (borrowed; the tree points into the arena only, not
 * into src). On success returns 0 and sets *out to a tree allocated from
 * arena (borrowed; lives until the arena is reset). Otherwise returns
 * EDDY_ERR_PARSE (a syntax error), EDDY_ERR_LIMIT (text or nesting over a
 * limit) or EDDY_ERR_NOMEM (the arena is exhausted; it may have a cap), with
 * *err set; *out is NULL. Thread-safe as long as threads use their own
 * arenas. */
int eddy_sql_parse(const char *src, size_t len, eddy_arena *arena, eddy_sql_query **out,
                   eddy_sql_error *err);

#endif
