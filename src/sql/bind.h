/* The binder: syntax tree (ast.h) in, plan out.
 *
 * Binding resolves every name of a query against what it can read: table
 * sources become opened eddy_sql_src handles (source.h) with the list of
 * column paths the query uses (projection pushdown), WITH steps become
 * sub-plans that later statements read, column references become
 * positions in the chunks the executor will pass (expr.h), function calls
 * are checked against their argument types, aggregates against GROUP BY.
 * Every error points at the query text (diag.h): unknown columns and
 * inputs with the nearest valid name, type errors naming both types,
 * aggregates where none may stand.
 *
 * Row layouts. An input's chunks carry its columns, then its event time
 * (a datetime column, null when the input has none). A SELECT's joined row
 * is input 0's columns and time, then for each join the next input's
 * columns and time and the joined row's time (the later of the two); its
 * last column is always the row's event time. An aggregate's output row is
 * the GROUP BY keys, the window end, then the aggregates. A statement's
 * output row is its visible columns, hidden sort columns, then the event
 * time (the window end of a windowed aggregate).
 *
 * The plan owns its arena, the opened sources and compiled patterns; free
 * it with eddy_sql_plan_free. Binding is single-threaded; a finished plan
 * is read-only and shared by the executor's threads. */
#ifndef EDDY_SQL_BIND_H
#define EDDY_SQL_BIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "sql/ast.h"
#include "sql/diag.h"
#include "sql/expr.h"
#include "sql/source.h"

/* The table sources' functions (source.h), so that tests and the stream
 * executor can plug in readers of their own. */
typedef struct eddy_sql_src_api {
    int (*open)(const eddy_sql_src_opts *opts, eddy_sql_src **out, char *err, size_t errlen);
    size_t (*columns)(const eddy_sql_src *s, const char *const **names);
    int (*project)(eddy_sql_src *s, const eddy_sql_src_col *cols, size_t ncols, char *err,
                   size_t errlen);
    size_t (*split)(eddy_sql_src *s, size_t nthreads);
    int (*reader_open)(eddy_sql_src *s, size_t part, eddy_sql_src_reader **out);
    int (*read)(eddy_sql_src_reader *r, eddy_sql_chunk *chunk, char *err, size_t errlen);
    void (*reader_close)(eddy_sql_src_reader *r);
    void (*close)(eddy_sql_src *s);
} eddy_sql_src_api;

/* The readers of source.h (source_api.c). */
extern const eddy_sql_src_api eddy_sql_src_default;

typedef enum eddy_sql_input_kind {
    EDDY_SQL_INPUT_SOURCE, /* a table source: a file, a glob, read_*(), lake() */
    EDDY_SQL_INPUT_STEP,   /* the output of a WITH step */
    EDDY_SQL_INPUT_ONE,    /* SELECT without FROM: one row of no columns */
} eddy_sql_input_kind;

/* One input of a SELECT (FROM or a JOIN). */
typedef struct eddy_sql_input {
    eddy_sql_input_kind kind;
    eddy_sql_span span;
    const char *name; /* qualifier (alias or step name); NULL: none */
    uint32_t name_len;
    /* SOURCE */
    eddy_sql_src_opts opts;
    eddy_sql_src *src;        /* owned by the plan */
    const char *const *known; /* the columns the source knows (borrowed from src) */
    size_t nknown;
    eddy_sql_src_col *paths; /* the projection: ncols paths */
    /* STEP */
    uint32_t step;
    /* Columns of this input's chunks (before the event time). */
    uint32_t ncols;
    const char **colnames; /* SOURCE: the path joined with '.'; STEP: the step's names */
    eddy_sql_vtype *coltypes;
    /* The event time, evaluated over the input's chunk as read (SOURCE:
     * its ncols columns; STEP: its columns and time): TIMESTAMP BY, a
     * lake's EventEnqueuedUtcTime, a step's own time. NULL: none. */
    eddy_sql_x *time;
    bool has_time;
    bool timestamp_by; /* time came from TIMESTAMP BY */
} eddy_sql_input;

/* A join of input k (k >= 1) to the joined row of inputs 0..k-1. */
typedef struct eddy_sql_join_spec {
    eddy_sql_join_kind kind;
    eddy_sql_span span;
    uint32_t nkeys;       /* equality conjuncts of ON: hash keys */
    eddy_sql_x **lkeys;   /* over the left joined row */
    eddy_sql_x **rkeys;   /* over input k's chunk (its columns and time) */
    eddy_sql_x *residual; /* the rest of ON over left + right; NULL: none */
    /* The time bound between the two sides, from the conjuncts of ON (and
     * of WHERE, for an inner or cross join) that hold DATEDIFF(unit, a, b)
     * between constants, where a and b name input k and one input on the
     * left (bound_input): every pair that can pass has right.time -
     * left.time in [lo_us, hi_us]. DATEDIFF counts unit boundaries, so the
     * range is a superset of the predicate's; the predicate itself stays
     * in the residual (or WHERE) and keeps results exact. bounded is set
     * only when both ends are finite. A streaming join forgets the rows
     * the watermark has moved out of the bound (op_join.c). */
    bool bounded;
    int64_t lo_us, hi_us;
    uint32_t bound_input; /* the left input whose time is bounded */
    uint32_t bound_lcol;  /* its time column in the left joined row */
} eddy_sql_join_spec;

/* An aggregate call. */
typedef struct eddy_sql_agg {
    eddy_sql_func_id fn;
    eddy_sql_span span;
    bool distinct;
    bool star;          /* COUNT(*) */
    eddy_sql_x *arg;    /* the value (PERCENTILE: the ORDER BY value; TopOne, Collect(*):
                            the row as a record); NULL for COUNT(*) */
    eddy_sql_x **order; /* TopOne's ORDER BY values */
    bool *desc;
    uint32_t norder;
    double fraction;     /* PERCENTILE_* */
    bool order_desc;     /* PERCENTILE_* ... ORDER BY x DESC */
    eddy_sql_vtype type; /* of the result */
} eddy_sql_agg;

typedef struct eddy_sql_select_plan {
    eddy_sql_span span;
    eddy_sql_input *inputs;
    uint32_t ninputs;
    eddy_sql_join_spec *joins; /* ninputs - 1 */
    uint32_t width;            /* columns of the joined row, its event time last */
    eddy_sql_x *where;         /* over the joined row; NULL: none */
    bool aggregate;            /* GROUP BY, or aggregates in SELECT/HAVING/ORDER BY */
    eddy_sql_x **keys;         /* GROUP BY keys over the joined row */
    uint32_t nkeys;
    bool has_window;
    eddy_sql_window window;
    eddy_sql_agg *aggs;
    uint32_t naggs;
    eddy_sql_x *having; /* over the aggregate's row */
    /* Output columns (visible, then hidden sort columns) and the output
     * row's event time, over the aggregate's row or the joined row. */
    eddy_sql_x **items;
    uint32_t nitems;
    eddy_sql_x *time;
    bool distinct;
    int64_t top; /* -1: none */
} eddy_sql_select_plan;

typedef struct eddy_sql_stmt_plan {
    eddy_sql_span span;
    eddy_sql_select_plan *selects;
    uint32_t nselects;
    bool *union_all;  /* [i] joins select i to the ones before by UNION ALL (i >= 1) */
    uint32_t ncols;   /* visible output columns */
    uint32_t nhidden; /* sort-only columns after them */
    const char **names;
    eddy_sql_vtype *types;
    eddy_sql_x **order; /* over the output row */
    bool *desc;
    uint32_t norder;
    int64_t limit; /* -1: none (LIMIT, and TOP of a single SELECT) */
    bool has_time;
    const char *into_file; /* INTO 'file'; NULL: the query's output */
    const char *into_hub;  /* INTO hub('name') (streaming); NULL: none */
    eddy_sql_span into_hub_span;
    int32_t into_key;   /* INTO hub: the output column keying the rows; -1: none */
    uint32_t consumers; /* steps: how many inputs read it */
} eddy_sql_stmt_plan;

typedef struct eddy_sql_plan {
    eddy_arena arena;
    const char *text; /* the query text (borrowed) */
    size_t textlen;
    const eddy_sql_src_api *api;
    eddy_sql_stmt_plan *steps;
    const char **step_names;
    uint32_t nsteps;
    eddy_sql_stmt_plan *stmts;
    uint32_t nstmts;
    eddy_sql_input **sources; /* every SOURCE input */
    uint32_t nsources;
    eddy_sql_x **compiled; /* nodes with compiled patterns, released at free */
    uint32_t ncompiled;
    uint32_t capcompiled;
} eddy_sql_plan;

typedef struct eddy_sql_bind_opts {
    const eddy_sql_src_api *api; /* required */
    int64_t now_us;              /* the query's start: a lake's EventProcessedUtcTime */
} eddy_sql_bind_opts;

/* Binds q (parsed from text[0..len), both borrowed; text must outlive the
 * plan). Returns 0 with *out (free with eddy_sql_plan_free), or an error
 * with err set: EDDY_ERR_INVALID_ARG for every error in the query (unknown
 * names, types, misplaced aggregates, what batch queries cannot do yet
 * such as hub()), or the source's own error when an input cannot be
 * opened (EDDY_ERR_NOT_FOUND, EDDY_ERR_IO, EDDY_ERR_PARSE,
 * EDDY_ERR_UNSUPPORTED: input errors), EDDY_ERR_NOMEM. */
int eddy_sql_bind(const eddy_sql_query *q, const char *text, size_t len,
                  const eddy_sql_bind_opts *opts, eddy_sql_plan **out, eddy_sql_error *err);

/* Closes the sources, frees compiled patterns and the arena. NULL is
 * fine. */
void eddy_sql_plan_free(eddy_sql_plan *p);

#endif
