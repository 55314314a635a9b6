/* Bound expressions and their vectorized evaluation.
 *
 * The binder (bind.h) turns syntax-tree expressions into trees of
 * eddy_sql_x nodes: names resolved to column positions in the chunks the
 * node will see, functions to their ids, types checked where known. The
 * evaluator runs a node over a whole chunk at once into an output vector
 * (docs/sql-engine.md "Chunks and operators"): typed loops for the common
 * cases (bigint and float arithmetic with overflow checks, comparisons of
 * numbers, strings and datetimes, Kleene AND/OR, LIKE with a pattern
 * compiled once) and one generic row-at-a-time path over tagged values for
 * everything else (V_ANY columns whose type varies inside a chunk).
 *
 * Static types: a node's type is the vector type it is known to produce,
 * or EDDY_SQL_V_ANY when it depends on the data (input columns of JSON
 * sources are dynamic, ASA's `any`). At run time a dynamic value of the
 * wrong kind (a string in arithmetic) gives null, never an error; only
 * explicit CAST failures, bigint overflow and division by zero fail a
 * query, with the position of the offending expression.
 *
 * Trees live in the plan's arena and are immutable while a query runs, so
 * worker threads evaluate the same tree concurrently, each with its own
 * eddy_sql_xctx. */
#ifndef EDDY_SQL_EXPR_H
#define EDDY_SQL_EXPR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "sql/ast.h"
#include "sql/diag.h"
#include "sql/functions.h"
#include "sql/vector.h"

typedef enum eddy_sql_xkind {
    EDDY_SQL_X_CONST,   /* val */
    EDDY_SQL_X_COL,     /* column col of the input chunk */
    EDDY_SQL_X_FIELD,   /* args[0] (a record) reached into by names[0..nnames) at run time */
    EDDY_SQL_X_UNARY,   /* op: NEG, POS, NOT */
    EDDY_SQL_X_BINARY,  /* op: arithmetic, comparison, AND, OR */
    EDDY_SQL_X_CASE,    /* searched: args = cond1, res1, cond2, res2, ... [, else] */
    EDDY_SQL_X_CAST,    /* args[0] to cast; try_ for TRY_CAST */
    EDDY_SQL_X_IN,      /* args[0] [NOT] IN (args[1..]) */
    EDDY_SQL_X_BETWEEN, /* args[0] [NOT] BETWEEN args[1] AND args[2] */
    EDDY_SQL_X_LIKE,    /* args[0] [NOT] LIKE args[1] [ESCAPE args[2]] */
    EDDY_SQL_X_IS_NULL, /* args[0] IS [NOT] NULL */
    EDDY_SQL_X_CALL,    /* scalar function fn over args */
    EDDY_SQL_X_RECORD,  /* a record of args named names (TopOne, Collect(*)): nulls left out */
    EDDY_SQL_X_MAXTIME, /* the later of two datetimes, ignoring nulls (a join's event time) */
} eddy_sql_xkind;

/* Column references are bound to (input, local) first and fixed up to a
 * chunk position (col) once the layout of a SELECT is known. */
#define EDDY_SQL_COL_TIME  UINT32_MAX /* local: the input's event-time column */
#define EDDY_SQL_INPUT_ALL 0xFFFF     /* input: the SELECT's event time (last column) */

typedef struct eddy_sql_x eddy_sql_x;

struct eddy_sql_x {
    eddy_sql_xkind kind;
    eddy_sql_vtype type; /* static type: known, V_NULL (null literal) or V_ANY */
    eddy_sql_span span;
    uint32_t nargs;
    eddy_sql_x **args;
    eddy_sql_op op;      /* UNARY, BINARY */
    bool negated;        /* IN, BETWEEN, LIKE, IS NULL: the NOT form */
    bool try_;           /* CAST: TRY_CAST */
    bool has_else;       /* CASE */
    uint16_t input;      /* COL: which input (or EDDY_SQL_INPUT_ALL) */
    uint32_t local;      /* COL: column within that input (or EDDY_SQL_COL_TIME) */
    uint32_t col;        /* COL: position in the chunk */
    eddy_sql_value val;  /* CONST (text in the plan arena) */
    eddy_sql_func_id fn; /* CALL */
    eddy_sql_unit unit;  /* CALL of DATEADD, DATEDIFF, DATEPART */
    eddy_sql_type cast;  /* CAST target */
    eddy_sql_str *names; /* FIELD: the path; RECORD: member names */
    uint32_t nnames;
    void *aux; /* compiled LIKE pattern or regular expression (see eddy_sql_x_compile) */
};

/* What an evaluation needs besides the tree and the chunk: where result
 * vectors and strings go, and where a run-time error is reported. */
typedef struct eddy_sql_xctx {
    eddy_arena *arena;   /* scratch, reset by the caller between chunks */
    eddy_sql_error *err; /* set on failure */
    const char *text;    /* the query text, for error positions */
    size_t textlen;
} eddy_sql_xctx;

/* Evaluates x over every row of in into *out (vectors from c->arena; out
 * may alias columns of in). Returns 0, or an error with c->err set:
 * EDDY_ERR_INVALID_ARG (overflow, division by zero, a failed CAST, ...),
 * EDDY_ERR_NOMEM. */
int eddy_sql_x_eval(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_chunk *in,
                    eddy_sql_vec *out);

/* Evaluates a predicate and writes the rows where it is true (not false,
 * not null) to sel (room for in->nrows), their count to *nsel. */
int eddy_sql_x_select(const eddy_sql_x *x, eddy_sql_xctx *c, const eddy_sql_chunk *in,
                      uint32_t *sel, uint32_t *nsel);

/* Prepares what node x (not its arguments) can compute once: a constant
 * LIKE pattern (in arena), a constant REGEXMATCH pattern (malloc'd).
 * Returns 0 or an error in err (a bad pattern, at the pattern's
 * position). */
int eddy_sql_x_compile(eddy_sql_x *x, eddy_arena *arena, const char *text, size_t textlen,
                       eddy_sql_error *err);

/* Frees what eddy_sql_x_compile made for node x (not its arguments). */
void eddy_sql_x_release(eddy_sql_x *x);

/* Structural equality (GROUP BY keys against SELECT expressions). */
bool eddy_sql_x_equal(const eddy_sql_x *a, const eddy_sql_x *b);

/* True when x reads no column (and no time): it can be folded. */
bool eddy_sql_x_is_const(const eddy_sql_x *x);

/* Gathers rows sel[0..nsel) of every column of in into *out (vectors from
 * arena). */
int eddy_sql_chunk_gather(const eddy_sql_chunk *in, const uint32_t *sel, uint32_t nsel,
                          eddy_arena *arena, eddy_sql_chunk *out);

/* LIKE patterns: compiled once, matched per row. */
typedef struct eddy_sql_like eddy_sql_like;

/* Compiles pattern (% _ [set] [^set] [a-z], esc: the escape character or
 * -1). Returns NULL for a malformed pattern (an unclosed '[', a dangling
 * escape) with a message in msg. */
eddy_sql_like *eddy_sql_like_compile(const char *pat, size_t len, int esc, eddy_arena *arena,
                                     char *msg, size_t msglen);
bool eddy_sql_like_match(const eddy_sql_like *p, const char *s, size_t len);

/* The scalar functions' entry (func_*.c): evaluates CALL node x whose
 * arguments are already evaluated into args[0..x->nargs). */
int eddy_sql_call_eval(const eddy_sql_x *x, eddy_sql_xctx *c, uint32_t n, eddy_sql_vec *args,
                       eddy_sql_vec *out);

/* Reports a run-time error at x's position (printf-style). Returns
 * EDDY_ERR_INVALID_ARG. */
int eddy_sql_x_fail(const eddy_sql_x *x, eddy_sql_xctx *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Out of memory while evaluating. Returns EDDY_ERR_NOMEM. */
int eddy_sql_x_nomem(eddy_sql_xctx *c);

/* CAST of one non-null value to type t: 0 with *out (text from arena),
 * 1 when it does not convert, EDDY_ERR_NOMEM. */
int eddy_sql_cast_value(const eddy_sql_value *v, eddy_sql_vtype t, eddy_arena *arena,
                        eddy_sql_value *out);

/* The vector type of a CAST target. */
eddy_sql_vtype eddy_sql_type_vtype(eddy_sql_type t);

#endif
