/* Internals shared by the evaluator (expr.c) and the scalar functions
 * (func*.c): result vectors built row by row, the per-row function table,
 * and compiled regular expressions. Not for use outside src/sql. */
#ifndef EDDY_SQL_EXPR_INT_H
#define EDDY_SQL_EXPR_INT_H

#include <regex.h>

#include "sql/expr.h"

/* A result vector of type t (V_ANY: varying, narrowed by done) for n rows
 * (one when constant), every row null until put. */
int eddy_sql_vout_init(eddy_sql_xctx *c, eddy_sql_vec *out, eddy_sql_vtype t, uint32_t n,
                       bool constant);
/* Stores val in row r, converting bigint/bit to float for a float vector;
 * a value of another kind becomes null. */
void eddy_sql_vout_put(eddy_sql_vec *out, uint32_t r, const eddy_sql_value *val);
int eddy_sql_vout_done(eddy_sql_xctx *c, eddy_sql_vec *out);

/* A function of one row: args are the non-null argument values (nulls in
 * are handled by the caller, except for CONCAT); *res gets the result,
 * null allowed. Returns 0 or an error (eddy_sql_x_fail). Strings made go
 * to c->arena. */
typedef int (*eddy_sql_rowfn)(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_value *args,
                              eddy_sql_value *res);

/* func_string.c */
int eddy_sql_fn_len(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *, eddy_sql_value *);
int eddy_sql_fn_substring(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                          eddy_sql_value *);
int eddy_sql_fn_upper(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                      eddy_sql_value *);
int eddy_sql_fn_lower(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                      eddy_sql_value *);
int eddy_sql_fn_concat(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                       eddy_sql_value *);
int eddy_sql_fn_charindex(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                          eddy_sql_value *);
int eddy_sql_fn_replace(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                        eddy_sql_value *);
int eddy_sql_fn_trim(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *, eddy_sql_value *);
int eddy_sql_fn_regexmatch(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                           eddy_sql_value *);

/* func_math.c */
int eddy_sql_fn_abs(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *, eddy_sql_value *);
int eddy_sql_fn_round(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                      eddy_sql_value *);
int eddy_sql_fn_floor(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                      eddy_sql_value *);
int eddy_sql_fn_ceiling(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                        eddy_sql_value *);
int eddy_sql_fn_power(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                      eddy_sql_value *);
int eddy_sql_fn_sqrt(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *, eddy_sql_value *);
int eddy_sql_fn_log(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *, eddy_sql_value *);
int eddy_sql_fn_exp(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *, eddy_sql_value *);

/* func_date.c */
int eddy_sql_fn_dateadd(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                        eddy_sql_value *);
int eddy_sql_fn_datediff(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                         eddy_sql_value *);
int eddy_sql_fn_datepart(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                         eddy_sql_value *);
int eddy_sql_fn_year(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *, eddy_sql_value *);
int eddy_sql_fn_month(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                      eddy_sql_value *);
int eddy_sql_fn_day(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *, eddy_sql_value *);
int eddy_sql_fn_datetimefromparts(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                                  eddy_sql_value *);

/* func_record.c */
int eddy_sql_fn_getrecordpropertyvalue(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                                       eddy_sql_value *);
int eddy_sql_fn_getarrayelement(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                                eddy_sql_value *);
int eddy_sql_fn_getarraylength(const eddy_sql_x *, eddy_sql_xctx *, const eddy_sql_value *,
                               eddy_sql_value *);

/* A datetime argument: a datetime, or a string that parses as one. */
bool eddy_sql_arg_time(const eddy_sql_value *v, int64_t *us);
/* An integer argument: bigint, bit, or a float (truncated). */
bool eddy_sql_arg_int(const eddy_sql_value *v, int64_t *i);

/* Compiles an extended POSIX regular expression (REG_EXTENDED |
 * REG_NOSUB); returns owned (regfree + free), or NULL with a message. */
regex_t *eddy_sql_regex_compile(const eddy_sql_str *pat, char *msg, size_t msglen);

#endif
