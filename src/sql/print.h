/* The canonical printer: syntax tree -> normalized SQL text.
 *
 * Keywords upper-case, function names in their canonical spelling, every
 * operator and predicate in parentheses, ORDER BY items with ASC/DESC,
 * aliases with AS, names bracketed only when they must be ([select],
 * [My Field]), numbers in their shortest exact form, one clause per line.
 * Parsing the output gives back the same tree, so printing is a fixed
 * point: print(parse(print(parse(text)))) == print(parse(text)). Tests rely
 * on it; `eddy query --explain` will show it. */
#ifndef EDDY_SQL_PRINT_H
#define EDDY_SQL_PRINT_H

#include "core/buf.h"
#include "sql/ast.h"

/* Appends the text of q (borrowed) to out; no final newline. Returns 0 or
 * the buffer's sticky error. */
int eddy_sql_print_query(const eddy_sql_query *q, eddy_buf *out);

/* Appends the text of one expression. */
int eddy_sql_print_expr(const eddy_sql_expr *e, eddy_buf *out);

#endif
